"""Paths in the config file are read from the config file's folder, wherever briefwatch runs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from briefwatch.config import ChannelSettings, FetchSettings, SourceSettings, load_config
from briefwatch.errors import ConfigError


def test_relative_paths_are_beside_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "watch"
    home.mkdir()
    (home / "apprise.yml").write_text("urls:\n  - json://127.0.0.1:9/hook\n", encoding="utf-8")
    (home / "briefwatch.toml").write_text(
        '[storage]\nurl = "sqlite:///briefwatch.db"\n'
        '[[channels]]\nname = "ops"\nconfig = "apprise.yml"\n',
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # as a Prefect worker would run it
    settings = load_config(os.path.relpath(home / "briefwatch.toml"))
    assert settings.storage.url == f"sqlite:///{home.resolve() / 'briefwatch.db'}"
    assert settings.channels[0].config == (home / "apprise.yml").resolve()


def test_absolute_and_special_urls_are_kept(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    for url in ("sqlite:////var/lib/bw.db", "sqlite:///:memory:", "postgresql+psycopg://u@h/db"):
        config.write_text(f'[storage]\nurl = "{url}"\n', encoding="utf-8")
        assert load_config(config).storage.url == url


def test_a_wrong_page_worker_count_is_a_config_error_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "briefwatch.toml"
    config.write_text('[[sources]]\nname = "a"\nurl = "http://127.0.0.1:9/feed"\n')
    monkeypatch.setenv("BRIEFWATCH_WORKERS", "two")
    with pytest.raises(ConfigError, match=r"BRIEFWATCH_WORKERS.*'two'"):
        load_config(config)
    monkeypatch.setenv("BRIEFWATCH_WORKERS", "0")
    assert load_config(config).sources[0].name == "a"


def test_the_countries_watched_are_given_or_read_from_the_sides(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    sides = (
        '[[sides]]\nname = "Ukraine"\naliases = ["Kyiv"]\n'
        '[[sides]]\nname = "Russian forces"\naliases = ["Russia", "Moscow"]\n'
        '[[sides]]\nname = "Wagner"\n'
    )
    config.write_text(sides, encoding="utf-8")
    assert load_config(config).countries == ("UA", "RU")
    config.write_text('[watch]\ncountries = ["ua", "SD", "UA"]\n' + sides, encoding="utf-8")
    assert load_config(config).countries == ("UA", "SD")
    config.write_text("", encoding="utf-8")
    assert load_config(config).countries == ()


def test_a_country_that_is_no_iso_code_is_a_config_error_naming_the_field(tmp_path: Path) -> None:
    config = tmp_path / "briefwatch.toml"
    config.write_text('[watch]\ncountries = ["UA", "XX"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"watch\.countries: 'XX' is not an ISO 3166-1"):
        load_config(config)
    config.write_text('[watch]\ncountries = ["Sudan"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r'did you mean "SD"'):
        load_config(config)


def test_true_and_false_are_no_numbers_in_any_section(tmp_path: Path) -> None:
    """Every field that takes a number (`retries = 3`) refuses a boolean, naming the field:
    pydantic alone would read `max_bytes = true` as a cap of one byte."""
    config = tmp_path / "briefwatch.toml"
    sections = {
        "fetch": ("[fetch]\n", FetchSettings),
        "sources[0] (a)": (
            '[[sources]]\nname = "a"\nurl = "http://127.0.0.1:9/feed"\n',
            SourceSettings,
        ),
        "channels[0] (c)": ('[[channels]]\nname = "c"\nurl = "console://"\n', ChannelSettings),
    }
    numeric: list[str] = []
    for where, (header, model) in sections.items():
        for name in model.model_fields:
            if name in ("name", "url"):
                continue
            config.write_text(f"{header}{name} = 3\n", encoding="utf-8")
            try:
                load_config(config)
            except ConfigError:
                continue  # not a number field (a word, a list, a yes/no)
            numeric.append(f"{where}.{name}")
            for boolean in ("true", "false"):
                config.write_text(f"{header}{name} = {boolean}\n", encoding="utf-8")
                with pytest.raises(ConfigError, match=rf"{re.escape(where)}\.{name}: must be"):
                    load_config(config)
    assert {"fetch.max_bytes", "fetch.retries", "fetch.backoff"} <= set(numeric)
    assert {"sources[0] (a).every", "channels[0] (c).cooldown"} <= set(numeric)
    config.write_text("[fetch]\npace_private = true\n", encoding="utf-8")
    assert load_config(config).fetch.pace_private is True  # a yes/no field still takes one


@pytest.mark.parametrize(
    "nested",
    ["x = " + "[" * 100_000 + "]" * 100_000, "x = " + "{a = " * 100_000 + "1" + "}" * 100_000],
)
def test_a_config_nested_100000_deep_is_a_config_error(tmp_path: Path, nested: str) -> None:
    config = tmp_path / "briefwatch.toml"
    config.write_text(nested + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(config)


def test_inf_and_nan_are_no_numbers_in_any_section(tmp_path: Path) -> None:
    """`pass_deadline = inf` was taken (and `nan` passed every bound but the first)."""
    config = tmp_path / "briefwatch.toml"
    source = '[[sources]]\nname = "a"\nurl = "http://127.0.0.1:9/f"\n'
    for header, name in (
        ("[fetch]\n", "pass_deadline"),
        ("[fetch]\n", "backoff"),
        (source, "every"),
    ):
        for value in ("inf", "nan", "-inf"):
            config.write_text(f"{header}{name} = {value}\n", encoding="utf-8")
            with pytest.raises(ConfigError, match=rf"\.{name}: .*finite"):
                load_config(config)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ('[[sources]]\nname = "a"\nurl = "http://127.0.0.1:9/f"\nevery', '"99999999999999d"'),
        (
            '[[sources]]\nname = "a"\nurl = "http://127.0.0.1:9/f"\nsilent_after',
            '"99999999999999d"',
        ),
        ('[[channels]]\nname = "c"\nurl = "console://"\ncooldown', "1e300"),
        ('[[channels]]\nname = "c"\nurl = "console://"\ndigest_every', '"9999999999h"'),
    ],
)
def test_a_duration_past_ten_years_is_a_config_error_not_an_overflow(
    tmp_path: Path, field: str, value: str
) -> None:
    """These ended in `OverflowError` tracebacks (while reading the config, or at the pass that
    added them to a date)."""
    config = tmp_path / "briefwatch.toml"
    config.write_text(f"{field} = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is longer than 10 years"):
        load_config(config)


@pytest.mark.parametrize(
    "name",
    ["connect_timeout", "read_timeout", "backoff", "revisit_hours", "pass_retry_delay",
     "deadline", "source_deadline", "pass_deadline", "host_delay"],
)  # fmt: skip
def test_seconds_too_large_for_a_socket_or_a_date_are_config_errors(
    tmp_path: Path, name: str
) -> None:
    """1e308 passed `gt=0`: then every fetch failed, pass after pass, with `OverflowError`
    (connect_timeout, read_timeout: a socket's timeout; revisit_hours: a date), and a backoff
    of 1e308 held the pass for its whole deadline (a probe against a local feed)."""
    config = tmp_path / "briefwatch.toml"
    config.write_text(f"[fetch]\n{name} = 1e308\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"fetch\.{name}: Input should be less than or equal"):
        load_config(config)


def test_a_user_agent_of_two_lines_and_a_missing_ca_bundle_are_config_errors(
    tmp_path: Path,
) -> None:
    """Each made every fetch fail, quietly, pass after pass (a line break would also let the
    config inject a header)."""
    config = tmp_path / "briefwatch.toml"
    config.write_text('[fetch]\nuser_agent = "briefwatch/1\\r\\nX-Evil: 1"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"fetch\.user_agent: must be one line of text"):
        load_config(config)
    config.write_text(f'[fetch]\nca_bundle = "{tmp_path / "none.pem"}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"fetch\.ca_bundle: no such file: "):
        load_config(config)
    (tmp_path / "ca.pem").write_text("", encoding="utf-8")
    config.write_text(f'[fetch]\nca_bundle = "{tmp_path / "ca.pem"}"\n', encoding="utf-8")
    assert load_config(config).fetch.ca_bundle == str(tmp_path / "ca.pem")
