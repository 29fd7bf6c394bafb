"""Backfill: a source's archive over a date range, resumable, old changes recorded quietly.

`run` opens a backfill, reads its listing pages and fetches its articles in steps; `report`
says what a run did; `range` decides what is inside the date range (pure).
"""

__all__ = ["range", "report", "run"]
