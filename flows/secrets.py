"""Channel URLs and the web view's token kept in Prefect Secret blocks: ``url = "block:NAME"``,
``[web] token = "block:NAME"``.

`briefwatch/` never imports Prefect, so its config keeps ``block:NAME`` as written; a run that
has Prefect resolves it here, before the pass sends anything, and the value lives only in memory
(never in a flow parameter, a log or an artifact). A block that cannot be read is a config error
that names the channel: the pass does not start with a channel it cannot reach.
"""

from __future__ import annotations

from pydantic import SecretStr

from briefwatch.alerts.channels import check_urls
from briefwatch.config import ChannelSettings, Settings
from briefwatch.errors import ConfigError


def _read_secret(block: str, field: str, holds: str) -> str:
    """The string the Prefect Secret block ``block`` holds; `ConfigError` naming ``field``."""
    from prefect.blocks.system import Secret  # imported here: ~1 s that other settings skip
    from prefect.settings import PREFECT_API_URL

    where = PREFECT_API_URL.value() or "Prefect's embedded API (PREFECT_API_URL is not set)"
    try:
        value = Secret.load(block).get()
    except Exception as exc:  # not found, unreachable, refused: all mean "cannot read it"
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"{field}: cannot read the Prefect Secret block {block!r} from {where}: {reason}"
        ) from None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{field}: the Prefect Secret block {block!r} must hold {holds}")
    return value.strip()


def resolve_channel(channel: ChannelSettings) -> ChannelSettings:
    """``channel`` with its URL read from its Prefect Secret block (unchanged if it has none)."""
    if channel.block is None:
        return channel
    field = f"channels ({channel.name}).url"
    value = _read_secret(channel.block, field, "an Apprise URL as a string")
    return channel.model_copy(update={"url": SecretStr(value)})


def resolve_web_token(settings: Settings) -> Settings:
    """``settings`` with ``[web] token = "block:NAME"`` read from that Prefect Secret block
    (unchanged without one); the token read is held to the rule a written one is (16
    characters at least)."""
    block = settings.web.token_block
    if block is None:
        return settings
    token = _read_secret(block, "web.token", "the token as a string")
    if len(token) < 16:
        raise ConfigError(
            f"web.token: the Prefect Secret block {block!r} holds a token shorter than 16 "
            "characters (a random string)"
        )
    web = settings.web.model_copy(update={"token": SecretStr(token)})
    return settings.model_copy(update={"web": web})


def resolve_channels(settings: Settings) -> Settings:
    """``settings`` with every ``block:`` channel URL resolved; raises `ConfigError` naming
    the first channel whose block cannot be read or whose URL Apprise refuses."""
    if not any(channel.block for channel in settings.channels):
        check_urls(settings.channels)
        return settings
    channels = [resolve_channel(channel) for channel in settings.channels]
    check_urls(channels)
    return settings.model_copy(update={"channels": channels})
