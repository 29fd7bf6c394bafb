"""Polling a source: its listing, the URLs worth fetching and the pages behind them.

`poll` is the network half of a pass for one source: the listing by conditional GET, the plan
(the retry queue first, then new entries, then known ones worth a re-check) and the fetches;
`skips` is the ledger of what was passed over and why (the retry queue one kind of it, and
`passed_over` the one answer to "is this URL done with"); `filters` the source's include and
exclude words; `group` polls a group of sources at once, a thread each, without a long wait
for a straggler.
"""

__all__ = ["filters", "group", "poll", "skips"]
