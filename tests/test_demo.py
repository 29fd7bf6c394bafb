"""`briefwatch demo` (what `make demo` runs): the whole story, offline, through real passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.prefect_server import prefect_env

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))


def test_the_demo_shows_the_dispute_settled_the_crew_alerts_and_no_repeats(
    tmp_path: Path, prefect_api: str
) -> None:
    done = subprocess.run(
        [BRIEFWATCH, "demo", "--workdir", str(tmp_path / "demo")],
        env={**prefect_env(tmp_path / "prefect", prefect_api), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    days = out.split("Day ")
    assert len(days) == 5  # preamble + four days
    day2, day3, day4 = days[2], days[3], days[4]
    assert "Shusha: captured by Azerbaijani forces — disputed" in day2
    assert "Shusha: captured by Azerbaijani forces — conceded by Armenia" in day3
    assert "Crew members killed: 2, says the Defense Ministry in Moscow" in day3
    assert "Crew members injured: 1, says the Defense Ministry in Moscow" in day3
    assert "People killed: at least 1,000" in day3 and "Was: at least 900" in day3
    assert "1 copies" in day3  # the wire outlet's copy of the AFP story: no alert of its own
    assert "skipped filtered-out" in day3  # the Moscow theatre story mentions none of the words
    assert "Crew members killed: 3" in day4 and "1 revisions" in day4  # the revision's new line
    # Noise and history stay quiet: the fundraiser, the earthquake, the 1990s war, the deal.
    for quiet in ("25,000", "hundreds of thousands", "Kalbajar", "Shushi:"):
        assert quiet not in out, quiet
    again = out.split("The same day, passed again")[1]
    assert "0 changes, 0 alerts sent" in again
    assert "nothing stored twice, nothing sent twice" in again
    assert "Facts at the end" in again and "Control of Shusha" in again
