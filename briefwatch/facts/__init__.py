"""Facts: claims folded into facts, and facts into changes.

`state` is the fold itself, pure (claims -> a fact's state, whether it changed, its headline);
`records` types what it reads and writes (a stored claim, a fact's state: `from_row`,
`to_json`); `queries` chooses in SQL the claims a fold needs to read.
"""

__all__ = ["queries", "records", "state"]
