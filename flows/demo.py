"""The offline demo: the bundled newsroom served on 127.0.0.1, replayed one day per pass.

Each day is a real `monitor` pass through Prefect over real HTTP; alerts go to `console://`, so
they print here as they are sent. After the last day the same day is passed again, to show that
nothing is stored or sent twice.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from briefwatch.demo.newsroom import FEED_PATH, INDEX_PATH, load_newsroom
from briefwatch.demo.server import Site
from flows.monitor import monitor

DEMO_CONFIG = """\
# Written by `briefwatch demo`: the demo newsroom on 127.0.0.1.
[storage]
url = "sqlite:///{db}"

[fetch]
allow_private = ["127.0.0.1"]   # the demo's outlets are served on loopback
pass_retry_delay = 1

[[sources]]
name = "moscow-times"
url = "{base}{feed}"
include = ["Karabakh", "Armenia", "Azerbaijan"]

[[sources]]
name = "southern-wire"
url = "{base}{index}"

[[channels]]
name = "terminal"
url = "console://"

[[sides]]
name = "Armenia"
aliases = ["separatist", "separatists"]

# The name the 2020 reports use; GeoNames has the town as Khankendi, its Azerbaijani name.
[[places]]
name = "Stepanakert"
aliases = ["Khankendi"]
"""


def write_config(workdir: Path, base_url: str) -> Path:
    path = workdir / "briefwatch.toml"
    db = (workdir / "briefwatch.db").resolve()
    text = DEMO_CONFIG.format(db=db, base=base_url, feed=FEED_PATH, index=INDEX_PATH)
    path.write_text(text, encoding="utf-8")
    return path


def _forget(workdir: Path) -> None:
    for name in ("briefwatch.db", "briefwatch.db-wal", "briefwatch.db-shm"):
        (workdir / name).unlink(missing_ok=True)


def _line(result: dict) -> str:
    c = result["counts"]
    return (
        f"{c['new_stories']} new stories, {c['copies']} copies, {c['revisions']} revisions, "
        f"{c['claims']} claims, {c['skipped']} skipped, {c['changes']} changes, "
        f"{c['alerts_sent']} alerts sent"
    )


def run_demo(workdir: Path, *, fresh: bool = True, console: Console | None = None) -> Path:
    """Replay the newsroom day by day through real passes; return the config it wrote."""
    console = console or Console(markup=False)  # URLs and titles are text, never markup
    workdir.mkdir(parents=True, exist_ok=True)
    if fresh:
        _forget(workdir)
    newsroom = load_newsroom()
    with Site() as site:
        config = write_config(workdir, site.base_url)
        console.print(f"demo newsroom at {site.base_url} · config {config}", highlight=False)
        for day, date in newsroom.days:
            site.publish(newsroom.pages(day, site.base_url))
            console.rule(Text(f"Day {day}: {date}", style="bold"))
            result = monitor(config=str(config))
            console.print(f"pass: {_line(result)}", highlight=False)
            for skip in result["skipped"]:
                console.print(f"  skipped {skip['reason']}: {skip['url']}", highlight=False)
        console.rule(Text("The same day, passed again", style="bold"))
        result = monitor(config=str(config))
        console.print(f"pass: {_line(result)}", highlight=False)
        if result["counts"]["alerts_sent"] == 0 and result["counts"]["changes"] == 0:
            console.print("nothing new: nothing stored twice, nothing sent twice")
    return config
