"""Facts: claims folded into facts, and facts into changes.

`state` is the fold itself, pure (claims -> a fact's state, whether it changed, its headline);
`queries` chooses in SQL the claims a fold needs to read.
"""

__all__ = ["queries", "state"]
