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

Pure functions of a change's fact key and its old and new states, typed
(`briefwatch.facts.records`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from briefwatch.facts.records import ControlState, FactState, Figure

LEVELS = ("low", "medium", "high")
NOTIFY_TYPES = {"high": "failure", "medium": "warning", "low": "info"}


def rank(level: str) -> int:
    """The order of a level: low < medium < high."""
    return LEVELS.index(level)


def highest(levels: Iterable[str]) -> str:
    return max(levels, key=rank, default="low")


def importance(fact_key: str, old: FactState | None, new: FactState) -> str:
    """The level of the change from ``old`` (None: a new fact) to ``new``."""
    if fact_key.startswith("control:aggregate:"):
        return "medium"
    if fact_key.startswith("control:"):
        assert isinstance(new, ControlState) and (old is None or isinstance(old, ControlState))
        return "high" if _control_settled_or_moved(old, new) else "medium"
    if fact_key.startswith("casualty:cumulative:"):
        return "high"  # a running toll is a change only when it grows
    assert isinstance(new, Figure) and (old is None or isinstance(old, Figure))
    if old is None or _size(new) > _size(old):
        return "medium"
    return "low"


def health_importance(state: Mapping[str, Any]) -> str:
    """The level of a change in a source's health (``state``: `briefwatch.health`'s, no fact's):
    its trouble starting, or its end."""
    return "medium" if state.get("open") else "low"


def _control_settled_or_moved(old: ControlState | None, new: ControlState) -> bool:
    holder = new.holder
    if holder and holder != (old.holder if old else None):
        return True  # a side newly named as holding the place, even if disputed
    if set(new.conceded_by) - set(old.conceded_by if old else ()):
        return True  # a side conceded
    if new.status == "lost" and (old is None or old.status != "lost"):
        return True
    if old is not None and old.status == "disputed" and new.status != "disputed" and holder:
        return True  # the dispute is settled
    return bool(new.confirmed_by) and not (old and old.confirmed_by)


def _size(figure: Figure) -> tuple[int, int]:
    low, high = figure.count_low or 0, figure.count_high
    return (low, high if high is not None else low)
