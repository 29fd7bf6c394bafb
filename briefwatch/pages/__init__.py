"""Reading pages: a fetched page parsed, fingerprinted and its claims read. Pure CPU.

`read` prepares one page (in this process or a worker's); `pool` is the page-worker processes
that read a large batch; `ahead` hands a harvest's pages to them before the pass stores the
harvest before it, and takes them back in page order.
"""

__all__ = ["ahead", "pool", "read"]
