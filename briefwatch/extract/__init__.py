"""Text -> claims: casualty figures and control of places, with who said it.

Rule-based and explainable: every rule lives in one small module, and `trace` tells why a
candidate was dropped. Quality is measured on `eval/gold/claims.jsonl` by
``python -m briefwatch.extract.evaluate``.
"""

from briefwatch.extract.claims import CasualtyClaim, ControlClaim, Cut, Dropped, Extraction
from briefwatch.extract.pipeline import extract, to_json, trace

__all__ = [
    "CasualtyClaim",
    "ControlClaim",
    "Cut",
    "Dropped",
    "Extraction",
    "extract",
    "to_json",
    "trace",
]
