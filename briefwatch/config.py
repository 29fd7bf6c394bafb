"""The config file (TOML) and the environment, validated with pydantic.

`load_config` is the only way in: it reads the file, resolves ``env:NAME`` values and returns a
`Settings`, or raises `ConfigError` with a message that names the offending field.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from briefwatch.errors import ConfigError

SourceKind = Literal["auto", "feed", "index", "sitemap", "article"]
ChangeKind = Literal["control", "casualty"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("control", "casualty")


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
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageSettings(_Section):
    url: str = "sqlite:///briefwatch.db"

    @field_validator("url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        value = resolve_env(value, "url")
        if not value.startswith(("sqlite://", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value


class FetchSettings(_Section):
    allow_private: list[str] = Field(
        default_factory=list,
        description="hosts or networks (CIDR) on private/loopback addresses that may be fetched",
    )
    user_agent: str = "briefwatch/0.1 (news monitor; +https://github.com/briefwatch/briefwatch)"
    connect_timeout: Annotated[float, Field(gt=0)] = 5.0
    read_timeout: Annotated[float, Field(gt=0)] = 20.0
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    backoff: Annotated[float, Field(ge=0)] = 0.5
    max_bytes: Annotated[int, Field(gt=0)] = 5_000_000
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    max_articles_per_source: Annotated[int, Field(gt=0)] = 50
    # Known articles first seen this recently are re-checked (conditional GET) for revisions.
    revisit_hours: Annotated[float, Field(ge=0)] = 6.0
    # A source whose listing failed with a retryable error is tried again within the pass.
    pass_retries: Annotated[int, Field(ge=0, le=5)] = 1
    pass_retry_delay: Annotated[float, Field(ge=0)] = 10.0

    @field_validator("allow_private")
    @classmethod
    def _hosts_or_networks(cls, value: list[str]) -> list[str]:
        from briefwatch.netguard import AllowList  # the one parser of these entries

        AllowList.parse(value)  # a mistyped network ("10.0.0.0/33") is an error, not a no
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


class ChannelSettings(_Section):
    name: Annotated[str, Field(min_length=1)]
    url: SecretStr  # an Apprise URL; may carry tokens, so never printed
    kinds: list[ChangeKind] = Field(default_factory=lambda: list(CHANGE_KINDS))

    @field_validator("url", mode="before")
    @classmethod
    def _resolve(cls, value: Any) -> Any:
        if isinstance(value, str):
            return resolve_env(value, "url")
        return value


class AliasSettings(_Section):
    """A place or a side with the other names the text may use for it."""

    name: Annotated[str, Field(min_length=1)]
    aliases: list[str] = Field(default_factory=list)


class Settings(_Section):
    storage: StorageSettings = Field(default_factory=StorageSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    sources: list[SourceSettings] = Field(default_factory=list)
    channels: list[ChannelSettings] = Field(default_factory=list)
    places: list[AliasSettings] = Field(default_factory=list)
    sides: list[AliasSettings] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        for section in ("sources", "channels"):
            names = [item.name for item in getattr(self, section)]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{section}: duplicate name(s) {', '.join(dupes)}")
        return self

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


def parse_config(data: dict[str, Any], origin: str = "config") -> Settings:
    """Validate an already-loaded TOML document."""
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = _field_path(err["loc"], data) or "(top level)"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "unknown field"
            lines.append(f"{origin}: {where}: {message}")
        raise ConfigError("\n".join(lines)) from None


def load_config(path: str | os.PathLike[str]) -> Settings:
    """Read and validate the TOML config at ``path``; raise `ConfigError` naming what is wrong."""
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
    return parse_config(data, origin=str(path))
