"""Polling a source: its listing, the URLs worth fetching and the pages behind them.

`poll` is the network half of a pass for one source: the listing by conditional GET, the plan
(the retry queue first, then new entries, then known ones worth a re-check), the fetches, and
the skip and retry ledger of what was passed over and why; the source's include/exclude words.
"""

__all__ = ["poll"]
