"""The `briefwatch` command.

This module is the composition root: it is the one place in `briefwatch/` that reaches up to
`flows/` (lazily, inside the commands that run a pass), so that `status`, `extract` and the other
read-only commands start without importing Prefect.
"""

from __future__ import annotations

import gc
import json
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from briefwatch.clock import as_utc, iso
from briefwatch.config import Settings, load_config
from briefwatch.errors import BriefwatchError, ConfigError, StoreError

if TYPE_CHECKING:
    from briefwatch.store import Store

app = typer.Typer(
    help="Watch news sources, extract casualty and control facts, alert when a fact changes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Markup off by default: what we print is mostly untrusted (URLs, titles, errors quoting a page),
# and a "[/x]" in it would stop the command with rich's MarkupError. A print that styles its
# own words asks for markup and escapes what it interpolates.
out = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="the briefwatch.toml to use", envvar="BRIEFWATCH_CONFIG"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]
DEFAULT_CONFIG = Path("briefwatch.toml")


def _fail(exc: BriefwatchError) -> typer.Exit:
    """Print our error's one line; exit 2 for what the user must mend (the config, the store)."""
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, markup=True)
    return typer.Exit(2 if isinstance(exc, ConfigError | StoreError) else 1)


@contextmanager
def _said_plainly() -> Iterator[None]:
    """Our own errors raised while a command works (a store found damaged by a query, after it
    opened) end the command with their one line, as they do when met on opening."""
    try:
        yield
    except BriefwatchError as exc:
        raise _fail(exc) from None


def _settings(path: Path) -> Settings:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise _fail(exc) from None


def _store(settings: Settings, *, readonly: bool = False) -> Store:
    """The store, opened (read-only for a reader: ``readonly``), or exit 2 with why not."""
    # Imported here: SQLAlchemy costs ~0.8 s that `extract` and `init` do not need.
    from briefwatch.store import Store

    try:
        return Store(settings.storage.url, readonly=readonly)
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
    """``settings`` with `block:` channel URLs read from Prefect and every channel URL one
    Apprise accepts; exit 2 naming the channel if one cannot be read or used. Prefect is
    imported only when a channel needs it."""
    from briefwatch.alerts.channels import check_urls

    try:
        if not any(channel.block for channel in settings.channels):
            check_urls(settings.channels)
            return settings
        prefect_defaults()
        from flows.secrets import resolve_channels

        return resolve_channels(settings)  # checks the URLs it read too
    except ConfigError as exc:
        raise _fail(exc) from None


def _resolve_blocks_later(settings: Settings) -> None:
    """Exit 2 naming a channel whose URL Apprise refuses; `block:` URLs are read, and checked,
    by each scheduled pass (a block may be mended while `serve` runs)."""
    from briefwatch.alerts.channels import check_urls

    try:
        check_urls(settings.channels)
    except ConfigError as exc:
        raise _fail(exc) from None


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
    _resolve_blocks_later(settings)  # a channel URL Apprise refuses, before the store is made
    store = _store(settings)
    with _said_plainly():
        store.verify()
    store.close()
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
    """Run one full pass (fetch, store, fold facts, send alerts) through Prefect, then exit.

    When another pass over the same store is running, says so in one line and exits 0."""
    from briefwatch import lease  # with the store: SQLAlchemy, which `extract` does not need

    _ready_for_flow(config, source or [])  # a wrong config stops here, before a store is made
    store = _store(_settings(config))
    running = lease.holder(store, lease.pass_lease(source or ()))  # before Prefect: quick
    store.close()
    if running is not None:
        out.print(f"{running}; this run does nothing", highlight=False, markup=False)
        return
    from flows.monitor import monitor

    with _said_plainly():
        result = monitor(config=str(config), sources=source or None)
    if "running" in result:  # it started between the look above and the flow's own
        out.print(f"{result['running']}; this run does nothing", highlight=False, markup=False)
        return
    counts = result["counts"]
    out.print(
        "pass done: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()),
        highlight=False,
    )
    for failure in result["failed_sources"]:
        out.print(f"  source failed: {failure}", highlight=False)
    for line in result["timed_out"]:
        out.print(f"  source timed out: {line}", highlight=False)
    for failure in result["alerts_failed"]:
        out.print(f"  alert failed (kept, retried next pass): {failure}", highlight=False)
    for line in result.get("alerts_unknown", []):
        out.print(f"  alert not answered (not resent): {line}", highlight=False, markup=False)
    for held in result.get("alerts_held", []):
        out.print(f"  alerts held for the next pass: {held}", highlight=False, markup=False)
    for condition in result.get("health", {}).get("open", []):
        out.print(f"  source unwell: {condition}", highlight=False, markup=False)
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
    with _said_plainly():
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
    _resolve_blocks_later(_settings(config))
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


@app.command()
def status(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """Show the current facts: who controls each place, each casualty series."""
    from briefwatch.report import fact_outlets, facts_table

    store = _store(_settings(config), readonly=True)
    with _said_plainly():
        facts = store.facts()
        outlets = fact_outlets(store, facts)
        counts = store.counts() if as_json else {}
    if as_json:
        from briefwatch.web.documents import fact_document

        documents = [fact_document(f, outlets.get(f.key, [])) for f in facts]
        _emit_json({"facts": documents, "counts": counts})
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
    store = _store(settings, readonly=not (retry or resend_unknown))
    from briefwatch.alerts import send as alerts

    with _said_plainly():
        if retry or resend_unknown:
            channels = _resolve_blocks(settings).channels
            if resend_unknown:
                report = alerts.resend_unknown(store, channels, settings.web.base_url)
            else:
                report = alerts.send_pending(
                    store, channels, force=True, links=settings.web.base_url
                )
            out.print(
                f"sent {len(report.sent)} in {report.messages} messages, failed "
                f"{len(report.failed)}, not answered {len(report.unknown)}, waiting "
                f"{report.waiting}",
                highlight=False,
            )
        rows = alerts.entries(store, settings.channels)
    if as_json:
        _emit_json({"alerts": [
            {"channel": e.delivery.channel, "state": e.delivery.state, "status": e.status,
             "detail": e.detail, "until": iso(e.until), "importance": e.importance,
             "title": e.change.title, "change": e.change.key, "kind": e.change.kind,
             "attempts": e.delivery.attempts, "last_error": e.delivery.last_error,
             "message": e.delivery.message_id, "created_at": iso(e.delivery.created_at),
             "sent_at": iso(e.delivery.sent_at),
             "services": [{"service": s.label, "status": s.status, "attempts": s.attempts,
                           "last_error": s.last_error, "sent_at": iso(s.sent_at)}
                          for s in e.services]}
            for e in rows
        ]})  # fmt: skip
        return
    if not rows:
        out.print("No alerts yet.")
        return
    # A channel of several services (URLs, or an Apprise config file): what each of them has.
    several = any(len(e.services) > 1 for e in rows)
    columns = ["when", "channel", "status", *(["services"] if several else []), "importance"]
    table = Table(*columns, "alert", title="briefwatch alerts")
    for e in rows:
        when = as_utc(e.delivery.sent_at or e.delivery.created_at)
        status = e.status + (f" ({e.detail})" if e.detail else "")
        table.add_row(
            f"{when:%Y-%m-%d %H:%M}" if when else "",
            e.delivery.channel,
            status,  # errors quote "[Errno 111]" and such: text, not markup (markup is off)
            *([e.per_service] if several else []),
            e.importance,
            e.change.title,
        )
    out.print(table)


channels_app = typer.Typer(help="The alert channels.", no_args_is_help=True)
app.add_typer(channels_app, name="channels")


@channels_app.command("test")
def channels_test(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """Send a test message to each channel; exit 1 if any of them failed."""
    settings = _settings(config)
    # Apprise only: no store, no Prefect unless a block
    from briefwatch.alerts.channels import check, url_problem

    results: dict[str, str | None] = {}
    unusable = False  # a URL Apprise refuses is a config error: exit 2, as `run` does
    for index, channel in enumerate(settings.channels):
        if channel.block:
            prefect_defaults()
            from flows.secrets import resolve_channel

            try:
                channel = resolve_channel(channel)
            except ConfigError as exc:  # report it with this channel, and test the others
                results[channel.name] = str(exc)
                continue
        problem = url_problem(channel.url.get_secret_value()) if channel.url else None
        if problem:
            unusable = True
            results[channel.name] = f"channels[{index}] ({channel.name}).url: {problem}"
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
            out.print(f"{escape(name)}: {verdict}", highlight=False, markup=True)
    if unusable:
        raise typer.Exit(2)
    if any(error is not None for error in results.values()):
        raise typer.Exit(1)


@app.command()
def sources(config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False) -> None:
    """Show each source: last success, last error and why, and its health since when."""
    from briefwatch import health
    from briefwatch.sources.skips import queue_counts

    settings = _settings(config)
    from briefwatch.web.documents import source_documents

    store = _store(settings, readonly=True)
    with _said_plainly():
        rows = {row.name: row for row in store.sources()}
        states = health.states(store, [s.name for s in settings.sources])
        queues = queue_counts(store, [s.name for s in settings.sources])
    documents = source_documents(settings.sources, rows)
    for document in documents:
        document["health"] = states[document["name"]].to_json()
        document["pages"] = queues[document["name"]].to_json()
    if as_json:
        _emit_json({"sources": documents})
        return
    table = Table(
        "source",
        "kind",
        "last success",
        "last error",
        "health",
        "pages waiting",
        title="briefwatch sources",
    )
    for doc in documents:
        error = f"{doc['last_error']}: {doc['last_error_detail']}" if doc["last_error"] else ""
        table.add_row(
            doc["name"],
            doc["detected_kind"] or doc["kind"],
            doc["last_success_at"] or "never",
            error,
            states[doc["name"]].line(),
            queues[doc["name"]].line(),
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
        high = f"-{claim['count_high']}" if claim["count_high"] else ""
        said = (
            f"{claim['outcome']} {claim['count_low']}{high} ({claim['qualifier']}) "
            f"{claim['victims'] or claim['group']} [{claim['scope']}] — "
            f"{claim['claimed_by'] or 'unattributed'}"
        )
        out.print(f"[bold]casualty[/] {escape(said)}", highlight=False, markup=True)
    for claim in document["control"]:
        said = (
            f"{claim['place']}: {claim['status']} by {claim['actor'] or '?'} "
            f"— {claim['claimed_by'] or 'unattributed'}"
        )
        out.print(f"[bold]control[/] {escape(said)}", highlight=False, markup=True)
    for cut in document["cuts"]:  # never silent: what was too long to read whole
        out.print(
            f"read in part: {cut['what']} at sentence {cut['position']}: {cut['reason']} "
            f"(read {cut['kept']} of {cut['length']} characters)",
            highlight=False,
            markup=False,
        )


@app.command()
def web(
    config: ConfigOption = DEFAULT_CONFIG,
    host: Annotated[
        str | None, typer.Option(help="address to listen on (default [web] host: 127.0.0.1)")
    ] = None,
    port: Annotated[int | None, typer.Option(help="port (default [web] port: 8080)")] = None,
) -> None:
    """Serve the read-only web view and JSON API over the store (OpenAPI at /docs)."""
    import uvicorn

    from briefwatch.web.app import check_binding, create_app

    settings = _settings(config)
    host = host or settings.web.host
    port = port or settings.web.port
    try:
        check_binding(host, settings.web)
        if settings.web.token_block is not None:  # Prefect only for a token kept in a block
            prefect_defaults()
            from flows.secrets import resolve_web_token

            settings = resolve_web_token(settings)
        application = create_app(settings)
    except BriefwatchError as exc:
        raise _fail(exc) from None
    shown = f"[{host}]" if ":" in host else host
    err.print(f"briefwatch web: http://{shown}:{port}/ (API docs at /docs)", markup=False)
    # What is imported and built by now lives as long as the view: kept out of the collector's
    # sight, a full collection no longer walks it. One fell in about one map feed in ten built
    # after a write and tripled its time (bench.web: p95 160-208 ms, p50 42-58).
    gc.collect()
    gc.freeze()
    uvicorn.run(application, host=host, port=port, log_level="warning")


ExportFormat = Annotated[str, typer.Option("--format", help="csv, geojson or jsonl")]


@app.command()
def export(
    config: ConfigOption = DEFAULT_CONFIG,
    fmt: ExportFormat = "csv",
    what: Annotated[str, typer.Option(help="claims (one row per claim) or facts")] = "claims",
    kind: Annotated[str | None, typer.Option(help="control or casualty")] = None,
    since: Annotated[
        datetime | None, typer.Option(help="only what came after this time (ISO 8601)")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default stdout)")
    ] = None,
) -> None:
    """Write the store's claims or facts as CSV, GeoJSON or JSONL for other tools."""
    from briefwatch.web.app import open_reader
    from briefwatch.web.export import write
    from briefwatch.web.queries import Filters

    problems = [
        f"--{name} must be one of {', '.join(allowed)}, not {value!r}"
        for name, value, allowed in (
            ("format", fmt, ("csv", "geojson", "jsonl")),
            ("what", what, ("claims", "facts")),
            ("kind", kind or "control", ("control", "casualty")),
        )
        if value not in allowed
    ]
    if problems:
        raise _fail(ConfigError("; ".join(problems)))
    settings = _settings(config)
    try:
        store = open_reader(settings.storage.url)
    except BriefwatchError as exc:
        raise _fail(exc) from None
    filters = Filters(kind=kind, since=as_utc(since) if since else None)
    if output is None:
        count = write(sys.stdout, store, fmt, what, filters)  # type: ignore[arg-type]
    else:
        with output.open("w", encoding="utf-8", newline="") as stream:
            count = write(stream, store, fmt, what, filters)  # type: ignore[arg-type]
    err.print(f"{count} {what} written", markup=False)


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
    web_view: Annotated[
        bool, typer.Option("--web", help="then keep the web view up on the demo's store")
    ] = False,
    port: Annotated[
        int | None, typer.Option(help="the web view's port (default [web] port: 8080)")
    ] = None,
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
    command = f"briefwatch web --config {shlex.quote(str(config))}"
    command += f" --port {port}" if port else ""
    # one line however narrow the terminal: it is there to be copied
    out.print(f"See them on a map: {command}", markup=False, highlight=False, soft_wrap=True)
    if web_view:
        web(config=config, host=None, port=port)


def main() -> None:  # pragma: no cover - console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
