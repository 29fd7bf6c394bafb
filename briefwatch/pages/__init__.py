"""Reading pages: a fetched page parsed, fingerprinted and its claims read. Pure CPU.

`read` prepares one page (in this process or a worker's); `pool` is the page-worker processes
that read a large batch while the pass stores the one before.
"""

__all__ = ["pool", "read"]
