"""Stories: one copy of each story, however many outlets carry it.

`dedupe` (canonical URLs, body hashes, the verdict on an article), `neardup` (MinHash signatures
of a body), `lookup` (what the store holds for a batch, read in a few queries), `batch` (a batch
of articles stored with their claims, each decided as if alone), `evaluate` (clustering
precision and recall on the labelled articles), `prepared` (what reading a page computed
ahead of the store).
"""

__all__ = ["batch", "dedupe", "evaluate", "lookup", "neardup", "prepared"]
