"""One JSON shape per stored thing, the same wherever it is shown (`status --json`, ``/api/``,
`briefwatch export --format jsonl`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from briefwatch.clock import iso
from briefwatch.config import SourceSettings
from briefwatch.facts.records import ControlState, FactState, state_of
from briefwatch.facts.state import fact_place, headline
from briefwatch.models import Article, Change, Claim, Delivery, Fact, Source, Story


def fact_document(
    fact: Fact, outlets: Sequence[tuple[str, str]], state: FactState | None = None
) -> dict[str, Any]:
    """A fact as `status --json` lists it: its state (as stored), its headline, where its place
    is and the outlets its evidence comes from. ``state``: the fact's state already typed
    (`facts.records.state_of`), if the caller has it."""
    typed = state if state is not None else state_of(fact)
    return {
        "key": fact.key,
        "kind": fact.kind,
        "label": fact.label,
        "headline": headline(fact.key, fact.label, typed),
        "version": fact.version,
        "updated_at": iso(fact.updated_at),
        "state": fact.state,
        # where a control fact's place is (canonical name, geonameid, country, lat, lon)
        "place": fact_place(typed),
        "outlets": [{"outlet": outlet, "url": url} for outlet, url in outlets],
    }


def position_documents(
    state: FactState, read_in: Mapping[int, Sequence[tuple[str, str]]]
) -> list[dict[str, Any]]:
    """Each side's latest claim on a control fact's place: who says what, the quoted sentence,
    when, and the outlet and URL it was read in (``read_in``: the copies of each claim's story,
    by claim id, as `Store.outlets_for_claims` gives them; the first one is named). A claim
    over unnamed places, or a casualty series, has no sides: none."""
    if not isinstance(state, ControlState):
        return []
    documents = []
    for side, position in state.positions.items():
        outlet, url = (read_in.get(position.claim_id or 0) or [("", "")])[0]
        documents.append({
            "side": side, "claimed_by": position.claimed_by, "status": position.status,
            "actor": position.actor, "sentence": position.sentence,
            "published": position.published, "outlet": outlet, "url": url,
        })  # fmt: skip
    return documents


def claim_document(claim: Claim, article: Article) -> dict[str, Any]:
    """One statement from one sentence, with the article it was read in."""
    return {
        "id": claim.id,
        "kind": claim.kind,
        "fact_key": claim.fact_key,
        "sentence": claim.sentence,
        "claimed_by": claim.claimed_by,
        "published": iso(claim.published),
        "data": claim.data,
        "story_id": claim.story_id,
        "outlet": article.outlet,
        "url": article.url,
        "title": article.title,
    }


def delivery_document(delivery: Delivery) -> dict[str, Any]:
    return {
        "channel": delivery.channel,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "sent_at": iso(delivery.sent_at),
    }


def change_document(change: Change, deliveries: Iterable[Delivery] = ()) -> dict[str, Any]:
    """A fact's state moving, with its evidence and how its alerts went, per channel."""
    return {
        "key": change.key,
        "fact_key": change.fact_key,
        "kind": change.kind,
        "version": change.version,
        "title": change.title,
        "created_at": iso(change.created_at),
        "old_state": change.old_state,
        "new_state": change.new_state,
        "claim_ids": change.claim_ids,
        "deliveries": [delivery_document(d) for d in deliveries],
    }


def story_document(story: Story, articles: Iterable[Article]) -> dict[str, Any]:
    """One text and every outlet that carries it, first seen first."""
    return {
        "id": story.id,
        "title": story.title,
        "first_seen_at": iso(story.first_seen_at),
        "published": iso(story.published),
        "articles": [
            {
                "outlet": a.outlet,
                "url": a.url,
                "title": a.title,
                "source": a.source,
                "published": iso(a.published),
            }
            for a in articles
        ],
    }


def source_documents(
    configured: Sequence[SourceSettings], rows: Mapping[str, Source]
) -> list[dict[str, Any]]:
    """Each configured source with what the store knows of it (never polled: empty fields)."""
    documents = []
    for source in configured:
        row = rows.get(source.name)
        documents.append({
            "name": source.name, "url": source.url, "kind": source.kind,
            "detected_kind": row.detected_kind if row else None,
            "last_attempt_at": iso(row.last_attempt_at) if row else None,
            "last_success_at": iso(row.last_success_at) if row else None,
            "last_error": row.last_error if row else None,
            "last_error_detail": row.last_error_detail if row else None,
            "last_error_at": iso(row.last_error_at) if row else None,
            "consecutive_failures": row.consecutive_failures if row else 0,
            "articles_seen": row.articles_seen if row else 0,
        })  # fmt: skip
    return documents
