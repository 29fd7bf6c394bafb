"""How much a change matters to the people it would page: ``low``, ``medium`` or ``high``.

A channel's ``min_importance`` keeps the changes below its level out of its outbox, and the
level picks Apprise's notification type (the colour and icon most services show):

    high     control changed hands or was settled: a side is newly named as holding a place
             (disputed or not), a side concedes it, a dispute is settled (by a concession or by
             independent reports); and a running toll that grows (or is first reported)
                                                                          -> Apprise "failure"
    medium   any other control change: fighting (contested, encircled, threatened), a dispute
             arising with no new holder, "48 more settlements" style claims; and a new or
             higher figure for one incident                              -> Apprise "warning"
    low      an incident's figure revised without growing (lower, or only its qualifier)
                                                                          -> Apprise "info"

A source's health (briefwatch.health) is no fact: its trouble starting is ``medium`` (Apprise
"warning"), its end ``low``; a channel that asks for ``health`` gets both whatever its
``min_importance``, so no trouble is heard of without its end.

Pure functions of a change's fact key and its old and new states.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

LEVELS = ("low", "medium", "high")
NOTIFY_TYPES = {"high": "failure", "medium": "warning", "low": "info"}


def rank(level: str) -> int:
    """The order of a level: low < medium < high."""
    return LEVELS.index(level)


def highest(levels: Iterable[str]) -> str:
    return max(levels, key=rank, default="low")


def importance(fact_key: str, old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> str:
    """The level of the change from ``old`` (None: a new fact) to ``new``."""
    if fact_key.startswith("health:"):
        return "medium" if new.get("open") else "low"
    if fact_key.startswith("control:aggregate:"):
        return "medium"
    if fact_key.startswith("control:"):
        return "high" if _control_settled_or_moved(old or {}, new) else "medium"
    if fact_key.startswith("casualty:cumulative:"):
        return "high"  # a running toll is a change only when it grows
    if old is None or _size(new) > _size(old):
        return "medium"
    return "low"


def _control_settled_or_moved(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    holder = new.get("holder")
    if holder and holder != old.get("holder"):
        return True  # a side newly named as holding the place, even if disputed
    if set(new.get("conceded_by", ())) - set(old.get("conceded_by", ())):
        return True  # a side conceded
    if new.get("status") == "lost" and old.get("status") != "lost":
        return True
    if old.get("status") == "disputed" and new.get("status") != "disputed" and holder:
        return True  # the dispute is settled
    return bool(new.get("confirmed_by")) and not old.get("confirmed_by")


def _size(state: Mapping[str, Any]) -> tuple[int, int]:
    low = state.get("count_low") or 0
    high = state.get("count_high")
    return (low, high if high is not None else low)
