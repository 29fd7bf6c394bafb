"""What a pass found, as text people read: the Prefect artifact and the CLI's summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from briefwatch.alerts.messages import QUOTE_CHARS, md_text
from briefwatch.clock import as_utc
from briefwatch.facts.records import state_of
from briefwatch.facts.state import evidence_claim_ids, fact_place, headline
from briefwatch.models import Fact
from briefwatch.pipeline import PassSummary
from briefwatch.store import Store


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    # Titles, URLs and errors a page wrote: text in the Prefect UI's markdown, never markup.
    lines = [f"- {md_text(item, QUOTE_CHARS)}" for item in items]
    return [f"### {title} ({len(items)})", "", *lines, ""]


def pass_markdown(summary: PassSummary) -> str:
    """The pass as markdown: counts, then new stories, changes, alerts and failures."""
    counts = summary.counts()
    table = [
        "| what | count |",
        "| --- | ---: |",
        *[f"| {k.replace('_', ' ')} | {v} |" for k, v in counts.items()],
    ]
    lines = [f"## briefwatch pass at {summary.started_at:%Y-%m-%d %H:%M:%S} UTC", "", *table, ""]
    lines += _section("New stories", [t for b in summary.batches for t in b.new_stories])
    lines += _section("Copies of known stories", [t for b in summary.batches for t in b.copies])
    lines += _section("Revisions", [t for b in summary.batches for t in b.revisions])
    lines += _section("Changes", summary.changes)
    lines += _section("Alerts sent", summary.alerts.sent)
    lines += _section("Alerts that failed (kept in the outbox)", summary.alerts.failed)
    lines += _section(
        "Alerts the channel took without answering (not resent: alerts --resend-unknown)",
        summary.alerts.unknown,
    )
    lines += _section("Alerts held for the next pass", summary.alerts.held)
    lines += _section("Sources that failed", summary.failed_sources)
    lines += _section("Sources the pass's time did not cover", summary.timed_out)
    lines += _section("Health: conditions open (briefwatch sources)", summary.health.open)
    lines += _section("Health: started this pass", summary.health.started)
    lines += _section("Health: ended this pass", summary.health.cleared)
    skipped = [f"{s.reason}: {s.url} — {s.detail}" for b in summary.batches for s in b.skipped]
    lines += _section("Skipped", skipped)
    lines += _section("Read in part (too long)", [c for b in summary.batches for c in b.cut])
    return "\n".join(lines).rstrip() + "\n"


def fact_outlets(store: Store, facts: Sequence[Fact]) -> dict[str, list[tuple[str, str]]]:
    """For each fact, the outlets (and URLs) carrying the stories its evidence comes from, each
    outlet once: how widely the fact is reported."""
    evidence = {fact.key: evidence_claim_ids(state_of(fact)) for fact in facts}
    by_claim = store.outlets_for_claims(i for ids in evidence.values() for i in ids)
    return {key: distinct_outlets(ids, by_claim) for key, ids in evidence.items()}


def distinct_outlets(
    claim_ids: Iterable[int], by_claim: Mapping[int, Sequence[tuple[str, str]]]
) -> list[tuple[str, str]]:
    """The outlets (and URLs) carrying ``claim_ids``' stories, each outlet once, in order
    (``by_claim``: `Store.outlets_for_claims`)."""
    seen: dict[str, str] = {}
    for claim_id in claim_ids:
        for outlet, url in by_claim.get(claim_id, []):
            seen.setdefault(outlet, url)
    return list(seen.items())


def facts_table(
    facts: Iterable[Fact], outlets: Mapping[str, list[tuple[str, str]]]
) -> list[dict[str, str | int]]:
    """The current facts as table rows: control of each place, each casualty series."""
    rows: list[dict[str, str | int]] = []
    for fact in facts:
        when = as_utc(fact.updated_at)
        state = state_of(fact)
        place = fact_place(state) or {}
        rows.append({
            "fact": fact.label,
            "country": place.get("country", ""),
            "now": headline(fact.key, fact.label, state).split(": ", 1)[-1],
            "outlets": len(outlets.get(fact.key, [])),
            "changes": fact.version,
            "updated": f"{when:%Y-%m-%d %H:%M} UTC" if when else "",
        })  # fmt: skip
    return rows
