"""What a pass found, as text people read: the Prefect artifact and the CLI's summary."""

from __future__ import annotations

from briefwatch.pipeline import PassSummary


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [f"### {title} ({len(items)})", "", *[f"- {item}" for item in items], ""]


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
    lines += _section("Sources that failed", summary.failed_sources)
    skipped = [f"{s.reason}: {s.url} — {s.detail}" for b in summary.batches for s in b.skipped]
    lines += _section("Skipped", skipped)
    return "\n".join(lines).rstrip() + "\n"


def pass_text(summary: PassSummary) -> str:
    """A few lines for the terminal after `briefwatch run`."""
    counts = summary.counts()
    head = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    lines = [f"pass done: {head}"]
    lines += [f"  source failed: {item}" for item in summary.failed_sources]
    lines += [f"  change: {item}" for item in summary.changes]
    lines += [f"  alert failed: {item}" for item in summary.alerts.failed]
    return "\n".join(lines)
