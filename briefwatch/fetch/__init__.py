"""Fetching: the one HTTP client every listing and page goes through.

`client` (`Fetcher.get`) sends each request over `transport` (one requests session whose
connections resolve a host once), after `guard` has approved every address, `robots` has read the
site's robots.txt and `pacing` has spaced requests to the host; `failures` turns what went wrong
into a `FetchFailure` with its reason. Nothing here reads the database.
"""

__all__ = ["client", "failures", "guard", "pacing", "robots", "transport"]
