"""What people read: the news of one or more facts as a lock-screen title and a markdown body.

Pure functions: the outbox gathers a `FactNews` per fact (its headlines since the last message
to the channel, the evidence, every outlet carrying the story) and `render` words them. One fact
is one message; a digest or a coalesced burst is one message with a section per fact.

Templates (per channel, `string.Template` syntax, checked when the config is loaded):

    title_template   $title $importance $count $channel
    body_template    $body $title $label $kind $importance $was $now $evidence $outlets
                     (applied to each fact's section; $body is the default section)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from string import Template

from briefwatch.alerts.importance import NOTIFY_TYPES, highest, rank


@dataclass(frozen=True)
class Evidence:
    """One claim behind a change, with where it was read."""

    claimed_by: str | None
    sentence: str
    outlet: str
    url: str
    status: str | None = None  # for control claims: what this side says
    side: str | None = None


@dataclass(frozen=True)
class FactNews:
    """One fact's news for one message: its headlines since the channel last heard of it."""

    label: str
    kind: str
    importance: str
    headlines: tuple[str, ...]  # oldest first; the last is the fact now
    was: str | None  # the headline before the first of them; None for a new fact
    disputed: bool
    evidence: tuple[Evidence, ...]
    copies: tuple[tuple[str, str], ...]  # (outlet, url) of every copy of the stories
    notes: tuple[str, ...] = ()  # a source's health: each step and why (no evidence, no outlets)

    @property
    def title(self) -> str:
        return self.headlines[-1]


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    notify_type: str = "info"


def render(
    news: Sequence[FactNews],
    *,
    channel: str,
    title_template: str = "$title",
    body_template: str = "$body",
) -> Message:
    """One message about ``news`` (one fact, or several for a digest or a coalesced burst)."""
    assert news, "a message is about at least one fact"
    level = highest(n.importance for n in news)
    sections = [Template(body_template).substitute(_body_fields(n)) for n in news]
    if len(news) == 1:
        title, body = news[0].title, sections[0]
    else:
        # The most important news names the message; ties go to the first.
        top = max(news, key=lambda n: rank(n.importance))
        title = f"{top.title} (+{len(news) - 1} more)"
        contents = [f"**{len(news)} changes**", "", *[f"- {n.title}" for n in news]]
        body = "\n\n---\n\n".join(["\n".join(contents), *sections])
    fields = {"title": title, "importance": level, "count": len(news), "channel": channel}
    return Message(Template(title_template).substitute(fields), body, NOTIFY_TYPES[level])


def check_message(channel: str) -> Message:
    """What `briefwatch channels test` sends."""
    return Message(
        f"briefwatch: test message for channel {channel}",
        f"If you can read this, alerts for **{channel}** reach you here.\n\n"
        "Sent by `briefwatch channels test`; no fact has changed.",
        "info",
    )


def section(news: FactNews) -> str:
    """The default markdown for one fact: was -> now, who says what, the outlets."""
    if news.kind == "health":
        return "\n".join([f"**{news.label}**", "", *[f"- {note}" for note in news.notes]])
    lines = [f"**{news.label}**", ""]
    lines.append(f"Was: {_state(news.was)}" if news.was else "New fact.")
    lines += [f"Then: {_state(h)}" for h in news.headlines[:-1]]
    lines.append(f"Now: {_state(news.title)}")
    if news.disputed:
        lines.append("The sides' claims conflict: this is disputed, not settled.")
    lines += ["", "Who says what:", _evidence(news.evidence)]
    if news.copies:
        n = len(news.copies)
        lines += ["", f"Carried by {n} outlet{'s' if n != 1 else ''}:", _outlets(news.copies)]
    return "\n".join(lines)


def _body_fields(news: FactNews) -> dict[str, str]:
    return {
        "body": section(news),
        "title": news.title,
        "label": news.label,
        "kind": news.kind,
        "importance": news.importance,
        "was": _state(news.was) if news.was else "",
        "now": _state(news.title),
        "evidence": _evidence(news.evidence),
        "outlets": _outlets(news.copies),
    }


def _state(headline: str | None) -> str:
    """A headline without its subject: "Shusha: captured by ..." -> "captured by ..."."""
    return (headline or "").split(": ", 1)[-1]


def _evidence(evidence: Sequence[Evidence]) -> str:
    lines = []
    for item in evidence:
        who = item.claimed_by or "unattributed"
        stance = f"**{item.side}** ({item.status}) — " if item.side and item.status else ""
        lines.append(f"- {stance}{who}:")
        lines.append(f"  > {item.sentence}")
        lines.append(f"  — [{item.outlet}]({item.url})")
    return "\n".join(lines)


def _outlets(copies: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"- [{outlet}]({url})" for outlet, url in copies)
