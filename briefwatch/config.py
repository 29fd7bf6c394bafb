"""The config file (TOML) and the environment, validated with pydantic.

`load_config` is the only way in: it reads the file, resolves ``env:NAME`` values and returns a
`Settings`, or raises `ConfigError` with a message that names the offending field.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Iterable
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from string import Template
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from briefwatch.errors import ConfigError

IPNetwork = IPv4Network | IPv6Network

SourceKind = Literal["auto", "feed", "index", "sitemap", "article"]
ChangeKind = Literal["control", "casualty"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("control", "casualty")
# What a channel may ask for: the kinds of change, and "health" (a source failing, silent or
# read wrong: briefwatch.health), which no channel gets unless it asks.
AlertKind = Literal["control", "casualty", "health"]


def resolve_env(value: str, field: str) -> str:
    """Return ``value``, or the environment variable it names when it reads ``env:NAME``."""
    if not value.startswith("env:"):
        return value
    name = value.removeprefix("env:").strip()
    if not name:
        raise ValueError(f"{field}: 'env:' needs a variable name, like env:BRIEFWATCH_OPS_URL")
    resolved = os.environ.get(name)
    if resolved is None or not resolved.strip():
        raise ValueError(f"environment variable {name} is not set")
    return resolved.strip()


class _Section(BaseModel):
    # allow_inf_nan: `pass_deadline = inf` or `nan` is no number of seconds (nan passed every
    # bound but the first, and inf broke the timeouts computed from it).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        # pydantic reads true as 1 and false as 0 for a number: `max_bytes = true` would cap
        # every page at one byte. A yes/no is only a yes/no field's value, in every section.
        if isinstance(value, bool) and info.field_name:
            kinds = _plain_types(cls.model_fields[info.field_name].annotation)
            written = str(value).lower()
            if timedelta in kinds:
                raise ValueError(f"must be a duration such as '30m' or seconds, not {written}")
            if kinds & {int, float} and bool not in kinds:
                raise ValueError(f"must be a number, not {written}")
        return value


def _plain_types(annotation: Any) -> set[Any]:
    """The plain types an annotation allows (``Annotated[float, ...] | None``: float, None)."""
    if get_origin(annotation) is Annotated:
        return _plain_types(get_args(annotation)[0])
    if get_origin(annotation) in (UnionType, Union):
        return set().union(*(_plain_types(arg) for arg in get_args(annotation)))
    return {annotation}


class StorageSettings(_Section):
    url: str = "sqlite:///briefwatch.db"

    @field_validator("url")
    @classmethod
    def _known_backend(cls, value: str, info: ValidationInfo) -> str:
        value = resolve_env(value, "url")
        if not value.startswith(("sqlite://", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        relative = value.removeprefix("sqlite:///")
        if value.startswith("sqlite:///") and relative and not relative.startswith(("/", ":")):
            # A relative SQLite file lives next to the config file, wherever briefwatch runs
            # from (a worker's working directory is not the user's).
            return f"sqlite:///{_beside_config(Path(relative), info)}"
        return value


_DAY = 86_400.0  # seconds


class FetchSettings(_Section):
    allow_private: list[str] = Field(
        default_factory=list,
        description="hosts or networks (CIDR) on private/loopback addresses that may be fetched",
    )
    user_agent: str = "briefwatch/0.1 (news monitor; +https://github.com/briefwatch/briefwatch)"
    # Upper bounds on seconds: 1e308 passed `gt=0` and then every fetch failed, pass after pass,
    # with OverflowError (a socket timeout, a date); a backoff of 1e308 held the pass.
    connect_timeout: Annotated[float, Field(gt=0, le=_DAY)] = 5.0
    read_timeout: Annotated[float, Field(gt=0, le=_DAY)] = 20.0
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    backoff: Annotated[float, Field(ge=0, le=600)] = 0.5
    max_bytes: Annotated[int, Field(gt=0)] = 5_000_000
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    max_articles_per_source: Annotated[int, Field(gt=0)] = 50
    # Known articles first seen this recently are re-checked (conditional GET) for revisions.
    revisit_hours: Annotated[float, Field(ge=0, le=24 * 3650)] = 6.0  # up to 10 years
    # A source whose listing failed with a retryable error is tried again within the pass.
    pass_retries: Annotated[int, Field(ge=0, le=5)] = 1
    pass_retry_delay: Annotated[float, Field(ge=0, le=3600)] = 10.0
    # The whole of one request, retries included: a server dripping bytes is cut off here.
    deadline: Annotated[float, Field(gt=0, le=_DAY)] = 60.0
    # One source's listing and articles in one pass, then the whole fetching of a pass: what is
    # left is recorded as timed-out and read next pass (well under the 5-minute schedule, so a
    # pass ends, folds and alerts before the next one is due).
    source_deadline: Annotated[float, Field(gt=0, le=_DAY)] = 120.0
    pass_deadline: Annotated[float, Field(gt=0, le=_DAY)] = 150.0
    # Politeness per host, shared by every fetch of the process (see briefwatch.fetch.pacing).
    host_delay: Annotated[float, Field(ge=0, le=3600)] = 1.0
    host_concurrency: Annotated[int, Field(ge=1, le=16)] = 2
    pace_private: bool = False  # hosts in allow_private are the user's own: not paced by default
    ca_bundle: str | None = None  # a CA bundle file to verify TLS with (a TLS-inspecting proxy)
    max_related_per_source: Annotated[int, Field(ge=0)] = 10

    @field_validator("user_agent")
    @classmethod
    def _honest(cls, value: str) -> str:
        # Site operators must be able to tell who is fetching, and robots.txt groups written for
        # briefwatch must apply: the project's name stays in whatever the user writes.
        if "briefwatch" not in value.lower():
            raise ValueError(
                "must name briefwatch, e.g. 'briefwatch/0.1 (+https://your.site/contact)', "
                "so that site operators know who is fetching"
            )
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            # a line break would end the header (every request refused, or a header injected)
            raise ValueError("must be one line of text, without control characters")
        return value.strip()

    @field_validator("ca_bundle")
    @classmethod
    def _bundle_exists(cls, value: str | None) -> str | None:
        # A missing bundle failed every https:// fetch, each with the same OSError, quietly.
        if value is not None and not Path(value).expanduser().is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("allow_private")
    @classmethod
    def _hosts_or_networks(cls, value: list[str]) -> list[str]:
        allow_entries(value)  # a mistyped network ("10.0.0.0/33") is an error, not a no
        return value


def allow_entries(entries: Iterable[str]) -> tuple[frozenset[str], tuple[IPNetwork, ...]]:
    """``[fetch] allow_private`` as host names and networks (an address is a /32 or /128).

    Raises `ValueError` naming an entry that looks like a network but is not one
    (``10.0.0.0/33``), so a typo cannot silently allow nothing. Here, below the fetcher, because
    the config is validated with it; `briefwatch.fetch.guard.AllowList` is built from it.
    """
    hosts: set[str] = set()
    networks: list[IPNetwork] = []
    for raw in entries:
        entry = raw.strip().strip("[]")
        if not entry:
            continue
        try:
            networks.append(ip_network(entry, strict=False))
        except ValueError:
            if "/" in entry or entry.replace(".", "").isdigit():
                message = f"{raw!r} is neither a host name nor an address or network"
                raise ValueError(message) from None
            hosts.add(normal_host(entry))
    return frozenset(hosts), tuple(networks)


def normal_host(host: str) -> str:
    """A host name as the allow list compares it: no brackets, no final dot, lower case."""
    return host.strip().strip("[]").rstrip(".").lower()


# The fields a channel's templates may use (rendered by `briefwatch.alerts.messages`).
TITLE_FIELDS = {
    "title": "the headline; for several facts, the most important one and how many more",
    "importance": "low, medium or high (the highest in the message)",
    "count": "how many facts the message carries",
    "channel": "the channel's name",
}
BODY_FIELDS = {
    "body": "the default section: was -> now, who says what, the outlets",
    "title": "the fact's latest headline",
    "label": 'the fact\'s name ("Control of Shusha")',
    "kind": "control or casualty",
    "importance": "low, medium or high",
    "was": "the fact's state before these changes (empty for a new fact)",
    "now": "its state now",
    "evidence": "who says what: a markdown list with the quoted sentences and links",
    "outlets": "a markdown list of links to every outlet carrying the story",
}
_FIELDS = {"title_template": TITLE_FIELDS, "body_template": BODY_FIELDS}


def template_problem(field: str, template: str) -> str | None:
    """Why ``template`` cannot be used for ``field`` (title_template, body_template), or None."""
    known = _FIELDS.get(field, {})
    parsed = Template(template)
    if not parsed.is_valid():
        return "is not a valid template: write $name or ${name}, and $$ for a dollar sign"
    unknown = sorted(set(parsed.get_identifiers()) - set(known))
    if unknown:
        names = ", ".join(f"${name}" for name in known)
        return f"unknown field(s) {', '.join(unknown)}; known fields: {names}"
    return None


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


# The longest duration a setting may name: past it, times computed from it (a source's next
# poll, a cooldown's end) overflow Python's dates, a traceback in the middle of a pass.
MAX_DURATION_S = 10 * 365 * 86400


def parse_duration(text: str) -> float:
    """``"90s"``, ``"5m"``, ``"1h30m"``, ``"1d"`` or a plain number of seconds -> seconds."""
    compact = text.strip().replace(" ", "")
    try:
        plain: float | None = float(compact)
    except ValueError:
        plain = None
    if plain is not None:
        return _bounded(plain, text)
    if not compact or _DURATION.sub("", compact):
        raise ValueError(f"{text!r} is not a duration; write e.g. '90s', '5m', '1h30m' or '1d'")
    seconds = float(sum(float(n) * _UNITS[u.lower()] for n, u in _DURATION.findall(compact)))
    return _bounded(seconds, text)


def _bounded(seconds: float, written: object) -> float:
    """``seconds``, if a duration a setting may name: finite and at most `MAX_DURATION_S`."""
    if not math.isfinite(seconds):
        raise ValueError(f"{written!r} is not a finite duration")
    if abs(seconds) > MAX_DURATION_S:
        raise ValueError(f"{written!r} is longer than 10 years ({MAX_DURATION_S:,} s)")
    return seconds


def _timedelta(value: Any) -> Any:
    """A duration as `parse_duration` reads it ("30m", "1h", a number of seconds) -> timedelta."""
    if isinstance(value, str):
        return timedelta(seconds=parse_duration(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=_bounded(float(value), value))
    return value


Duration = Annotated[timedelta, BeforeValidator(_timedelta)]


def _positive_span(value: timedelta | None) -> timedelta | None:
    if value is not None and value <= timedelta(0):
        raise ValueError("must be longer than 0s")
    return value


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
    return value


class SourceSettings(_Section):
    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    url: str
    kind: SourceKind = "auto"
    parser: str = "auto"
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    every: Annotated[float, Field(gt=0)] | None = None  # seconds; written "90s", "5m", "2h", "1d"
    follow_related: bool = False
    # No new article for this long is a health alert (briefwatch.health); None: health.silent_after
    silent_after: Duration | None = None

    @field_validator("silent_after")
    @classmethod
    def _silence_positive(cls, value: timedelta | None) -> timedelta | None:
        return _positive_span(value)

    @field_validator("every", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _bounded(float(value), value)
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("parser")
    @classmethod
    def _known_parser(cls, value: str) -> str:
        from parsers.registry import PARSERS

        if value != "auto" and value not in PARSERS:
            known = ", ".join(["auto", *sorted(PARSERS)])
            raise ValueError(f"unknown parser {value!r}; known parsers: {known}")
        return value


Importance = Literal["low", "medium", "high"]


class ChannelSettings(_Section):
    """Where alerts go and which of them, how often, in which words (README: Alerts)."""

    name: Annotated[str, Field(min_length=1)]
    # An Apprise URL, env:NAME, or block:NAME (a Prefect Secret block: `briefwatch/` never
    # imports Prefect, so the flow resolves it, see flows/secrets.py). May carry tokens, so
    # it is a secret and never printed.
    url: SecretStr | None = None
    config: Path | None = None  # an Apprise config file (YAML or text) instead of a URL
    tags: list[str] = Field(default_factory=list)  # notify the config's entries with any of these
    kinds: list[AlertKind] = Field(default_factory=lambda: list(CHANGE_KINDS))
    min_importance: Importance = "low"
    mode: Literal["each", "digest"] = "each"
    digest_every: Duration = timedelta(hours=1)
    cooldown: Duration = timedelta(0)  # per fact; 0: none
    coalesce_above: Annotated[int, Field(ge=0)] = 10  # 0: never
    title_template: str = "$title"
    body_template: str = "$body"

    @field_validator("url", mode="before")
    @classmethod
    def _resolve(cls, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("block:"):
            if not value.removeprefix("block:").strip():
                raise ValueError("'block:' needs a Prefect Secret block name, like block:ops-url")
            return value.strip()  # resolved by the flow, where Prefect is (flows/secrets.py)
        if isinstance(value, str):
            return resolve_env(value, "url")
        return value

    @field_validator("config")
    @classmethod
    def _config_file(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        path = _beside_config(value.expanduser(), info)
        if not path.is_file():
            raise ValueError(f"no such Apprise config file: {path}")
        return path.resolve()  # a later change of directory does not lose it

    @field_validator("digest_every")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be longer than 0s")
        return value

    @field_validator("cooldown")
    @classmethod
    def _not_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative")
        return value

    @field_validator("title_template", "body_template")
    @classmethod
    def _known_fields(cls, value: str, info: ValidationInfo) -> str:
        problem = template_problem(info.field_name or "", value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _one_destination(self) -> ChannelSettings:
        if (self.url is None) == (self.config is None):
            raise ValueError("give either url (an Apprise URL) or config (an Apprise config file)")
        if self.tags and self.config is None:
            raise ValueError("tags select entries of an Apprise config file: set config")
        return self

    @property
    def block(self) -> str | None:
        """The Prefect Secret block named by ``url = "block:NAME"``, until it is resolved."""
        url = self.url.get_secret_value() if self.url else ""
        return url.removeprefix("block:") if url.startswith("block:") else None


class HealthSettings(_Section):
    """When a source's health is an alert to channels whose ``kinds`` ask for "health"
    (briefwatch.health; README: Health)."""

    # Passes in a row in which the source's listing could not be read.
    failures: Annotated[int, Field(ge=1)] = 3
    # Article pages in a row that came back rejected or empty, from a source that read fine.
    drift_pages: Annotated[int, Field(ge=1)] = 5
    # Article pages in a row the site refused with 401, 403 or 429 (a bot wall).
    blocked_pages: Annotated[int, Field(ge=1)] = 5
    # No new article for this long; a source's own `silent_after` wins. None: learned.
    silent_after: Duration | None = None
    # Without a silent_after: silent after this many times the source's longest recent gap
    # between new articles (learned once it has enough of them); 0: not watched.
    silent_factor: Annotated[float, Field(ge=0)] = 3.0

    @field_validator("silent_after")
    @classmethod
    def _silence_positive(cls, value: timedelta | None) -> timedelta | None:
        return _positive_span(value)


class WatchSettings(_Section):
    """What this desk watches, beyond its sources."""

    # ISO 3166-1 alpha-2 codes: a place name several countries share is read as the one in
    # these ("Pokrovsk": Ukraine's, not Yakutia's). Empty: the countries `[[sides]]` name.
    countries: list[str] = Field(default_factory=list)

    @field_validator("countries")
    @classmethod
    def _iso_codes(cls, value: list[str]) -> list[str]:
        from briefwatch.places.countries import country_code, is_country_code

        codes = []
        for code in value:
            if not is_country_code(code.strip()):
                named = country_code(code)
                hint = f' (did you mean "{named}"?)' if named else ""
                raise ValueError(
                    f"{code!r} is not an ISO 3166-1 alpha-2 country code, "
                    f'such as "UA" or "RU"{hint}'
                )
            codes.append(code.strip().upper())
        return list(dict.fromkeys(codes))


class WebSettings(_Section):
    """The read-only web view (`briefwatch web`): where it listens and who may read it."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(strict=True, ge=1, le=65535)] = 8080
    # Asked of every request (``Authorization: Bearer <token>`` or ``?token=``) when set, and
    # required to listen anywhere but loopback: the view shows every claim the store holds.
    token: SecretStr | None = None
    base_url: str | None = None  # where the view is reached from outside, for links in alerts
    tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

    @field_validator("token", mode="before")
    @classmethod
    def _resolve(cls, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("block:"):
            # a Prefect Secret block: read by `briefwatch web` (flows/secrets.py), as channels'
            if not value.removeprefix("block:").strip():
                raise ValueError("'block:' needs a Prefect Secret block name, like block:web-token")
            return value.strip()
        if isinstance(value, str):
            value = resolve_env(value, "token")
            if len(value) < 16:
                raise ValueError("must be at least 16 characters (a random string)")
        return value

    @property
    def token_block(self) -> str | None:
        """The Prefect Secret block named by ``token = "block:NAME"``, until it is resolved."""
        token = self.token.get_secret_value() if self.token else ""
        return token.removeprefix("block:") if token.startswith("block:") else None

    @field_validator("base_url")
    @classmethod
    def _base(cls, value: str | None) -> str | None:
        return _http_url(value).rstrip("/") if value is not None else None


class AliasSettings(_Section):
    """A place or a side with the other names the text may use for it."""

    name: Annotated[str, Field(min_length=1)]
    aliases: list[str] = Field(default_factory=list)


class Settings(_Section):
    storage: StorageSettings = Field(default_factory=StorageSettings)
    watch: WatchSettings = Field(default_factory=WatchSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    sources: list[SourceSettings] = Field(default_factory=list)
    channels: list[ChannelSettings] = Field(default_factory=list)
    places: list[AliasSettings] = Field(default_factory=list)
    sides: list[AliasSettings] = Field(default_factory=list)
    web: WebSettings = Field(default_factory=WebSettings)

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        for section in ("sources", "channels"):
            names = [item.name for item in getattr(self, section)]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{section}: duplicate name(s) {', '.join(dupes)}")
        return self

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries of interest: `watch.countries`, else those `[[sides]]` name (a side
        called "Ukraine", or with "Russia" among its aliases)."""
        if self.watch.countries:
            return tuple(self.watch.countries)
        from briefwatch.places.countries import country_code

        named = (country_code(n) for side in self.sides for n in (side.name, *side.aliases))
        return tuple(dict.fromkeys(code for code in named if code))

    def source(self, name: str) -> SourceSettings:
        """The source called ``name`` (raises `ConfigError` if there is none)."""
        for source in self.sources:
            if source.name == name:
                return source
        raise ConfigError(f"sources: no source named {name!r}")


def _field_path(loc: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """Render a pydantic location as ``sources[1].url``; name list items by their ``name``."""
    out = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            out += f"[{part}]" + (f" ({name})" if isinstance(name, str) else "")
        else:
            out += ("." if out else "") + part
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out


def _beside_config(path: Path, info: ValidationInfo) -> Path:
    """``path`` as written, read relative to the config file's folder when it is relative."""
    base = (info.context or {}).get("base")
    return path if path.is_absolute() or base is None else (Path(base) / path).resolve()


def parse_config(
    data: dict[str, Any], origin: str = "config", base: Path | None = None
) -> Settings:
    """Validate an already-loaded TOML document; relative paths in it are read from ``base``
    (the config file's folder), else from the working directory."""
    try:
        return Settings.model_validate(data, context={"base": base})
    except RecursionError:  # a document built in code, nested deeper than Python recurses
        raise ConfigError(f"{origin}: arrays or tables nested too deeply") from None
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = _field_path(err["loc"], data) or "(top level)"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown field"
            lines.append(f"{origin}: {where}: {message}")
        raise ConfigError("\n".join(lines)) from None


def page_workers() -> int | None:
    """``BRIEFWATCH_WORKERS``: how many page-worker processes a run may start (None: unset,
    the default applies). Raise `ConfigError` when it is not a whole number from 0 up."""
    configured = os.environ.get("BRIEFWATCH_WORKERS", "").strip()
    if not configured:
        return None
    if not configured.isdigit():
        raise ConfigError(
            f"BRIEFWATCH_WORKERS: must be a whole number of worker processes (0 or more), "
            f"not {configured!r}"
        )
    return int(configured)


def load_config(path: str | os.PathLike[str]) -> Settings:
    """Read and validate the TOML config at ``path`` (and the environment's settings); raise
    `ConfigError` naming what is wrong."""
    page_workers()  # a wrong value stops the run here, not half way through a pass
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        hint = "create one with `briefwatch init`"
        raise ConfigError(f"{path}: no such config file ({hint})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and tables by recursion
        raise ConfigError(
            f"{path}: not a config briefwatch can read: arrays or tables nested too deeply "
            "(a briefwatch config nests two or three levels)"
        ) from None
    return parse_config(data, origin=str(path), base=path.resolve().parent)
