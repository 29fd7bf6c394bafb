"""The command-line contract that tests outside the repo drive: exit codes, JSON, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from briefwatch.config import load_config
from tests.conftest import FIXTURES

BRIEFWATCH = str(Path(sys.executable).with_name("briefwatch"))
SEED_TEXT = FIXTURES / "seed" / "000_3b5ad19eb9c928a4.txt"


def briefwatch(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BRIEFWATCH, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_extract_reads_stdin_and_prints_one_json_document(tmp_path: Path) -> None:
    done = briefwatch("extract", "-", "--json", cwd=tmp_path, stdin=SEED_TEXT.read_text())
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    killed = [c for c in document["casualties"] if c["outcome"] == "killed"]
    assert {(c["count_low"], c["qualifier"], c["victims"]) for c in killed} == {
        (2, "exact", "crew members"),
        (1000, "at_least", "people"),
        (24, "vague", "civilians"),
    }
    shusha = {c["status"] for c in document["control"] if c["place"] == "Shusha"}
    assert shusha == {"captured", "contested", "held", "lost"}
    assert document["aliases"] == {"Shushi": "Shusha"}


def test_extract_from_a_file_in_words(tmp_path: Path) -> None:
    text = tmp_path / "brief.txt"
    text.write_text("Rebels seized the town of Kalemie on Friday, the army said.", "utf-8")
    done = briefwatch("extract", str(text), cwd=tmp_path)
    assert done.returncode == 0
    assert "Kalemie: captured by rebels — the army" in done.stdout


def test_extract_reads_with_the_configs_sides_and_places(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        '[[sides]]\nname = "Rapid Support Forces"\naliases = ["RSF", "paramilitaries"]\n'
        '[[places]]\nname = "Bara"\naliases = ["Bara town"]\n',
        "utf-8",
    )
    text = "The paramilitaries said they had taken full control of Bara town on Friday."
    plain = briefwatch("extract", "-", "--json", cwd=tmp_path, stdin=text)
    done = briefwatch("extract", "-", "--json", "--config", str(config), cwd=tmp_path, stdin=text)
    assert plain.returncode == 0 and done.returncode == 0, done.stderr
    [claim] = json.loads(done.stdout)["control"]
    assert (claim["place"], claim["claimant_side"]) == ("Bara", "Rapid Support Forces")
    assert all(c["claimant_side"] is None for c in json.loads(plain.stdout)["control"])


def test_extract_names_a_missing_file(tmp_path: Path) -> None:
    done = briefwatch("extract", "nope.txt", cwd=tmp_path)
    assert done.returncode == 2 and "nope.txt" in done.stderr


def test_init_writes_a_valid_starter_config_and_keeps_an_existing_one(tmp_path: Path) -> None:
    done = briefwatch("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    settings = load_config(tmp_path / "briefwatch.toml")  # validated, never run against outlets
    assert {s.name for s in settings.sources} >= {"moscow-times"}
    assert all(s.url.startswith("https://") for s in settings.sources)
    assert [c.url.get_secret_value() for c in settings.channels] == ["console://"]
    assert settings.fetch.allow_private == []
    assert settings.countries == ("AM", "AZ")

    (tmp_path / "briefwatch.toml").write_text("# mine\n")
    again = briefwatch("init", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    assert (tmp_path / "briefwatch.toml").read_text() == "# mine\n"


def test_config_errors_exit_2_and_name_the_field(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    cases = {
        "[fetch]\nretries = -1\n": "fetch.retries",
        "[fetch]\nallow_privat = []\n": "fetch.allow_privat: unknown field",
        '[fetch]\nallow_private = ["10.0.0.0/33"]\n': "fetch.allow_private: '10.0.0.0/33'",
        '[[sources]]\nname = "a"\nurl = "https://x.example/feed"\nparser = "nope"\n': (
            "sources[0] (a).parser: unknown parser 'nope'"
        ),
        '[[channels]]\nname = "ops"\nurl = "slack://x"\nkinds = ["weather"]\n': (
            "channels[0] (ops).kinds[0]"
        ),
        '[watch]\ncountries = ["UA", "Ukraine"]\n': (
            "watch.countries: 'Ukraine' is not an ISO 3166-1 alpha-2 country code"
        ),
        "[storage\n": "not valid TOML",
    }
    for text, message in cases.items():
        config.write_text(text, encoding="utf-8")
        done = briefwatch("status", "--config", str(config), cwd=tmp_path)
        assert done.returncode == 2, text
        assert message in done.stderr, (text, done.stderr)
    missing = briefwatch("run", "--config", str(tmp_path / "none.toml"), cwd=tmp_path)
    assert missing.returncode == 2 and "briefwatch init" in missing.stderr


def test_status_alerts_and_sources_on_a_fresh_store_are_empty_json(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "bw.db"}"\n'
        '[[sources]]\nname = "a"\nurl = "https://news.example/feed"\n',
        encoding="utf-8",
    )
    status = json.loads(
        briefwatch("status", "--config", str(config), "--json", cwd=tmp_path).stdout
    )
    assert status["facts"] == []
    alerts = json.loads(
        briefwatch("alerts", "--config", str(config), "--json", cwd=tmp_path).stdout
    )
    assert alerts == {"alerts": []}
    sources = json.loads(briefwatch("sources", "-c", str(config), "--json", cwd=tmp_path).stdout)
    assert sources["sources"][0]["name"] == "a"
    assert sources["sources"][0]["last_success_at"] is None
