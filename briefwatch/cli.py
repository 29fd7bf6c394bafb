"""The `briefwatch` command.

This module is the composition root: it is the one place in `briefwatch/` that reaches up to
`flows/` (lazily, inside the commands that run a pass), so that `status`, `extract` and the other
read-only commands start without importing Prefect.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from briefwatch.clock import as_utc
from briefwatch.config import Settings, load_config
from briefwatch.errors import BriefwatchError, ConfigError
from briefwatch.facts.state import fact_place, headline

if TYPE_CHECKING:
    from briefwatch.store import Store

app = typer.Typer(
    help="Watch news sources, extract casualty and control facts, alert when a fact changes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="the briefwatch.toml to use", envvar="BRIEFWATCH_CONFIG"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]
DEFAULT_CONFIG = Path("briefwatch.toml")


def _fail(exc: BriefwatchError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
    return typer.Exit(2 if isinstance(exc, ConfigError) else 1)


def _settings(path: Path) -> Settings:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise _fail(exc) from None


def _store(settings: Settings) -> Store:
    # Imported here: SQLAlchemy costs ~0.8 s that `extract` and `init` do not need.
    from briefwatch.store import Store

    try:
        return Store(settings.storage.url)
    except BriefwatchError as exc:
        raise _fail(exc) from None


def _gazetteer() -> None:
    """Open the gazetteer (building its index first if need be), so that a cache that cannot be
    built is a clear error now (exit 1), not a traceback in the middle of a pass."""
    from briefwatch.places import gazetteer

    try:
        gazetteer()
    except BriefwatchError as exc:
        raise _fail(exc) from None


def prefect_defaults() -> None:
    """Quiet, patient defaults for Prefect's embedded server; the user's environment wins."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The embedded API takes ~15 s to start on a fresh database on 2 busy cores.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _resolve_blocks(settings: Settings) -> Settings:
    """``settings`` with `block:` channel URLs read from Prefect; exit 2 naming the channel
    if one cannot be read. Prefect is imported only when a channel needs it."""
    if not any(channel.block for channel in settings.channels):
        return settings
    prefect_defaults()
    from flows.secrets import resolve_channels

    try:
        return resolve_channels(settings)
    except ConfigError as exc:
        raise _fail(exc) from None


def _iso(value: datetime | None) -> str | None:
    value = as_utc(value)
    return value.isoformat() if value else None


def _emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")


def _ready_for_flow(config: Path, sources: list[str]) -> None:
    """Check what a flow run needs before Prefect starts, so a mistake fails fast and clearly
    (exit 2): the config, the named sources, the store (opened and migrated), block: channels."""
    settings = _settings(config)
    for name in sources:
        try:
            settings.source(name)
        except ConfigError as exc:
            raise _fail(exc) from None
    _store(settings).close()
    _gazetteer()
    prefect_defaults()
    _resolve_blocks(settings)


@app.command()
def run(
    config: ConfigOption = DEFAULT_CONFIG,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="only this source (repeatable)")
    ] = None,
) -> None:
    """Run one full pass (fetch, store, fold facts, send alerts) through Prefect, then exit."""
    _ready_for_flow(config, source or [])
    from flows.monitor import monitor

    result = monitor(config=str(config), sources=source or None)
    counts = result["counts"]
    out.print(
        "pass done: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()),
        highlight=False,
    )
    for failure in result["failed_sources"]:
        out.print(f"  source failed: {failure}", highlight=False)
    for failure in result["alerts_failed"]:
        out.print(f"  alert failed (kept, retried next pass): {failure}", highlight=False)
    for skip in result["skipped"]:
        out.print(f"  skipped {skip['reason']}: {skip['url']} ({skip['detail']})", highlight=False)
    for cut in result.get("read_in_part", []):
        out.print(f"  read in part: {cut}", highlight=False, markup=False)


@app.command()
def backfill(
    source: Annotated[str, typer.Option("--source", "-s", help="the source to go back through")],
    since: Annotated[str, typer.Option(help="the first day, YYYY-MM-DD")],
    until: Annotated[str | None, typer.Option(help="the last day (default: up to now)")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    max_pages: Annotated[
        int | None, typer.Option(help="listing pages read in this run (50)", min=1)
    ] = None,
    alert_days: Annotated[
        float | None, typer.Option(help="alert only changes this many days recent (2)", min=0)
    ] = None,
) -> None:
    """Read a source's archive (sitemap or paged index) over a date range through Prefect; run
    it again to continue where it stopped. Exit 2 when it cannot be done (a feed, a bad range)."""
    _ready_for_flow(config, [source])
    from flows.backfill import backfill as backfill_flow

    options = {"max_pages": max_pages, "alert_days": alert_days}  # None: the flow's defaults
    result = backfill_flow(
        config=str(config), source=source, since=since, until=until,
        **{name: value for name, value in options.items() if value is not None},
    )  # fmt: skip
    if result["refused"]:
        refused = result["refused"]
        err.print(f"error: {refused['reason']}: {refused['detail']}", highlight=False)
        raise typer.Exit(2)
    counts = result["counts"]
    out.print(
        "backfill: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()),
        highlight=False,
    )
    out.print(f"stopped ({result['stopped']['reason']}): {result['stopped']['detail']}")
    for failure in result["failed"]:
        out.print(f"  failed (tried again next run): {failure}", highlight=False)


@app.command()
def serve(
    config: ConfigOption = DEFAULT_CONFIG,
    every: Annotated[int, typer.Option(help="seconds between passes", min=10)] = 300,
) -> None:
    """Serve the monitor flow on a Prefect schedule until stopped (Ctrl-C).

    Prefect's embedded API cannot run schedules, so without a configured server
    (PREFECT_API_URL) one is started on 127.0.0.1 for as long as this runs.
    """
    _settings(config)
    prefect_defaults()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.monitor import monitor
    from flows.server import local_prefect_server

    def serve_monitor() -> None:
        _interrupt_as_termination()
        monitor.serve(
            name="briefwatch-monitor",
            interval=every,
            parameters={"config": str(config.resolve())},
            tags=["briefwatch"],
        )

    if PREFECT_API_URL.value():
        serve_monitor()
        return
    out.print("No Prefect server configured: starting one on 127.0.0.1 for the schedule.")
    with local_prefect_server() as api, temporary_settings(updates={PREFECT_API_URL: api}):
        out.print(f"Prefect API and UI at {api.removesuffix('/api')}", highlight=False)
        serve_monitor()


def _interrupt_as_termination() -> None:
    """Ctrl-C stops `serve` the way SIGTERM does.

    Prefect's runner stops gracefully on SIGTERM (it cancels its loops and `serve` returns, so
    our own Prefect server is taken down after it); a KeyboardInterrupt, raised wherever the main
    thread happens to be, can be swallowed on the way (measured: now and then a Ctrl-C left
    `serve` running passes for good). A pass under way is cancelled, and the next `serve` or
    `run` does it again from where the store stands (a pass is safe to repeat). Before the
    runner has installed its handler, Ctrl-C is a KeyboardInterrupt as usual.
    """

    def on_interrupt(signum: int, frame: Any) -> None:
        termination = signal.getsignal(signal.SIGTERM)
        if not callable(termination):
            raise KeyboardInterrupt
        termination(signum, frame)

    signal.signal(signal.SIGINT, on_interrupt)


def fact_json(fact: Any, outlets: list[tuple[str, str]]) -> dict:
    return {
        "key": fact.key,
        "kind": fact.kind,
        "label": fact.label,
        "headline": headline(fact.key, fact.label, fact.state),
        "version": fact.version,
        "updated_at": _iso(fact.updated_at),
        "state": fact.state,
        # where a control fact's place is (canonical name, geonameid, country, lat, lon)
        "place": fact_place(fact.state),
        "outlets": [{"outlet": outlet, "url": url} for outlet, url in outlets],
    }


@app.command()
def status(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """Show the current facts: who controls each place, each casualty series."""
    from briefwatch.report import fact_outlets, facts_table

    store = _store(_settings(config))
    facts = store.facts()
    outlets = fact_outlets(store, facts)
    if as_json:
        documents = [fact_json(f, outlets.get(f.key, [])) for f in facts]
        _emit_json({"facts": documents, "counts": store.counts()})
        return
    if not facts:
        out.print("No facts yet: run `briefwatch run` first.")
        return
    table = Table(
        "fact", "country", "now", "outlets", "changes", "updated", title="briefwatch facts"
    )
    for row in facts_table(facts, outlets):
        table.add_row(*(str(value) for value in row.values()))
    out.print(table)


@app.command("alerts")
def alerts_command(
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonOption = False,
    retry: Annotated[
        bool, typer.Option("--retry", help="send what is due now, failed ones without backoff")
    ] = False,
    resend_unknown: Annotated[
        bool,
        typer.Option(
            "--resend-unknown",
            help="send again the alerts whose send was cut off (check the channel first)",
        ),
    ] = False,
) -> None:
    """Show each alert per channel: sent, due, waiting (digest, cooldown), retrying, unknown."""
    settings = _settings(config)
    store = _store(settings)
    from briefwatch.alerts import send as alerts

    if retry or resend_unknown:
        channels = _resolve_blocks(settings).channels
        if resend_unknown:
            report = alerts.resend_unknown(store, channels)
        else:
            report = alerts.send_pending(store, channels, force=True)
        out.print(
            f"sent {len(report.sent)} in {report.messages} messages, failed "
            f"{len(report.failed)}, waiting {report.waiting}",
            highlight=False,
        )
    rows = alerts.entries(store, settings.channels)
    if as_json:
        _emit_json({"alerts": [
            {"channel": e.delivery.channel, "state": e.delivery.state, "status": e.status,
             "detail": e.detail, "until": _iso(e.until), "importance": e.importance,
             "title": e.change.title, "change": e.change.key, "kind": e.change.kind,
             "attempts": e.delivery.attempts, "last_error": e.delivery.last_error,
             "message": e.delivery.message_id, "created_at": _iso(e.delivery.created_at),
             "sent_at": _iso(e.delivery.sent_at)}
            for e in rows
        ]})  # fmt: skip
        return
    if not rows:
        out.print("No alerts yet.")
        return
    table = Table("when", "channel", "status", "importance", "alert", title="briefwatch alerts")
    for e in rows:
        when = as_utc(e.delivery.sent_at or e.delivery.created_at)
        status = e.status + (f" ({e.detail})" if e.detail else "")
        table.add_row(
            f"{when:%Y-%m-%d %H:%M}" if when else "",
            escape(e.delivery.channel),
            escape(status),  # errors quote "[Errno 111]" and such: text, not markup
            e.importance,
            escape(e.change.title),
        )
    out.print(table)


channels_app = typer.Typer(help="The alert channels.", no_args_is_help=True)
app.add_typer(channels_app, name="channels")


@channels_app.command("test")
def channels_test(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """Send a test message to each channel; exit 1 if any of them failed."""
    settings = _settings(config)
    # Apprise only: no store, no Prefect unless a block
    from briefwatch.alerts.channels import check

    results: dict[str, str | None] = {}
    for channel in settings.channels:
        if channel.block:
            prefect_defaults()
            from flows.secrets import resolve_channel

            try:
                channel = resolve_channel(channel)
            except ConfigError as exc:  # report it with this channel, and test the others
                results[channel.name] = str(exc)
                continue
        results[channel.name] = check(channel)
    if as_json:
        _emit_json({"channels": [
            {"name": name, "ok": error is None, "error": error} for name, error in results.items()
        ]})  # fmt: skip
    elif not results:
        out.print("No channels configured: add [[channels]] to the config.")
    for name, error in results.items():
        if not as_json:
            verdict = "[green]ok[/]" if error is None else f"[red]error[/]: {escape(error)}"
            out.print(f"{escape(name)}: {verdict}", highlight=False)
    if any(error is not None for error in results.values()):
        raise typer.Exit(1)


@app.command()
def sources(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """Show each source: last success, last error and why."""
    settings = _settings(config)
    rows = {row.name: row for row in _store(settings).sources()}
    documents = []
    for source in settings.sources:
        row = rows.get(source.name)
        documents.append({
            "name": source.name, "url": source.url, "kind": source.kind,
            "detected_kind": row.detected_kind if row else None,
            "last_success_at": _iso(row.last_success_at) if row else None,
            "last_error": row.last_error if row else None,
            "last_error_detail": row.last_error_detail if row else None,
            "last_error_at": _iso(row.last_error_at) if row else None,
            "consecutive_failures": row.consecutive_failures if row else 0,
            "articles_seen": row.articles_seen if row else 0,
        })  # fmt: skip
    if as_json:
        _emit_json({"sources": documents})
        return
    table = Table("source", "kind", "last success", "last error", title="briefwatch sources")
    for doc in documents:
        error = f"{doc['last_error']}: {doc['last_error_detail']}" if doc["last_error"] else ""
        table.add_row(
            doc["name"],
            doc["detected_kind"] or doc["kind"],
            doc["last_success_at"] or "never",
            error,
        )
    out.print(table)


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="a text file, or - for standard input")] = "-",
    as_json: JsonOption = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="read with this config's places, sides and countries"),
    ] = None,
) -> None:
    """Print the claims found in plain text (no database, no Prefect)."""
    from briefwatch.extract import extract as extract_claims
    from briefwatch.extract import to_json
    from briefwatch.names import config_places, sides_map

    settings = _settings(config) if config is not None else None
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"error: cannot read {file}: {exc}", highlight=False)
        raise typer.Exit(2) from None
    places, sides = (config_places(settings), sides_map(settings)) if settings else ({}, {})
    countries = settings.countries if settings else ()
    _gazetteer()
    document = to_json(extract_claims(text, places=places, sides=sides, countries=countries))
    if as_json:
        _emit_json(document)
        return
    for claim in document["casualties"]:
        out.print(
            f"[bold]casualty[/] {claim['outcome']} {claim['count_low']}"
            f"{'-' + str(claim['count_high']) if claim['count_high'] else ''} "
            f"({claim['qualifier']}) {claim['victims']} [{claim['scope']}] "
            f"— {claim['claimed_by'] or 'unattributed'}",
            highlight=False,
        )
    for claim in document["control"]:
        out.print(
            f"[bold]control[/] {claim['place']}: {claim['status']} by {claim['actor'] or '?'} "
            f"— {claim['claimed_by'] or 'unattributed'}",
            highlight=False,
        )
    for cut in document["cuts"]:  # never silent: what was too long to read whole
        out.print(
            f"read in part: {cut['what']} at sentence {cut['position']}: {cut['reason']} "
            f"(read {cut['kept']} of {cut['length']} characters)",
            highlight=False,
        )


@app.command()
def init(
    path: Annotated[Path, typer.Option("--path", "-p", help="where to write")] = DEFAULT_CONFIG,
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
) -> None:
    """Write a commented starter briefwatch.toml."""
    from briefwatch.starter import STARTER_CONFIG

    if path.exists() and not force:
        err.print(f"error: {path} exists; use --force to overwrite it", highlight=False)
        raise typer.Exit(2)
    path.write_text(STARTER_CONFIG, encoding="utf-8")
    out.print(
        f"wrote {path}: edit the sources and channels, then `briefwatch run`", highlight=False
    )


@app.command()
def demo(
    workdir: Annotated[
        Path, typer.Option(help="where the demo keeps its database and config")
    ] = Path("demo-run"),
    fresh: Annotated[bool, typer.Option(help="start from an empty store")] = True,
) -> None:
    """Offline: replay the bundled briefings over local HTTP through real passes."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # let the alerts speak
    prefect_defaults()
    from flows.demo import run_demo

    try:
        config = run_demo(workdir, fresh=fresh, console=out)
    except BriefwatchError as exc:
        raise _fail(exc) from None
    out.rule("[bold]Facts at the end[/]")
    status(config=config, as_json=False)


def main() -> None:  # pragma: no cover - console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
