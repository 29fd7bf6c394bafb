"""What people read: the news of one or more facts as a lock-screen title and a markdown body.

Pure functions: the outbox gathers a `FactNews` per fact (its headlines since the last message
to the channel, the evidence, every outlet carrying the story) and `render` words them. One fact
is one message; a digest or a coalesced burst is one message with a section per fact.

Templates (per channel, `string.Template` syntax, checked when the config is loaded):

    title_template   $title $importance $count $channel
    body_template    $body $title $label $kind $importance $was $now $evidence $outlets $link
                     (applied to each fact's section; $body is the default section)

Everything in a body that a page wrote (sentences, speakers, outlet names, titles, URLs) is
escaped as CommonMark text (`md_text`, `md_url`) in every field a template can name: a page
cannot put a live link, an image or raw HTML into a desk's channel. Apprise sends the one
markdown body as each service takes it: as markdown (Slack, Telegram, Discord, ...), converted
to HTML (e-mail), where the escapes become entities, or as it is to text-only services, where
nothing is live. A quoted sentence is cut to `QUOTE_CHARS`, with the cut marked: one
30,000-word sentence made a 176,818-character alert, and Slack takes 40,000.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from string import Template
from urllib.parse import quote, urlsplit

from briefwatch.alerts.importance import NOTIFY_TYPES, highest, rank

QUOTE_CHARS = 600  # the longest quoted sentence, a few lines on a phone
NAME_CHARS = 200  # the longest speaker, outlet, side or status shown
CUT = " […]"
# CommonMark's markup characters: links and images ([ ]), autolinks and raw HTML (< >),
# emphasis (* _), code (`), strikethrough (~), tables (|), and the backslash itself. Any ASCII
# punctuation may be escaped with a backslash; these are the ones that can do something.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~])")
# What stays as it is in a link's target; the rest is percent-encoded, so a ")" or a space in
# a URL cannot end the link early and start markup of the page's choosing.
_URL_SAFE = ":/?#[]@!$&'*+,;=%-._~"


def md_text(text: str, limit: int | None = None) -> str:
    """``text`` from a page, as markdown that shows it as written: on one line, cut to ``limit``
    characters (marked), every markup character escaped."""
    whole = " ".join(text.split())
    short = excerpt(whole, limit)
    if short is whole:
        return _MARKUP.sub(r"\\\1", whole)
    return _MARKUP.sub(r"\\\1", short.removesuffix(CUT)) + CUT  # our mark stays markup-free


def md_link(text: str, url: str) -> str:
    """A link to ``url`` shown as ``text``, both escaped; a URL that is not http(s) is no link
    (we fetch nothing else, so it cannot be an outlet's page): it is shown as text."""
    shown = md_text(text, NAME_CHARS)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return f"{shown} ({md_text(url, NAME_CHARS)})"
    return f"[{shown}]({quote(url, safe=_URL_SAFE)})"


# A title is sent as it is: a subject line, a push title, or, for a service that has no title,
# the first line of the body, which Apprise writes as a markdown heading or into HTML. Escapes
# would show in the first; so the characters that open a link or a tag are swapped for
# look-alikes instead (a headline names a speaker a page wrote).
_TITLE_MARKUP = str.maketrans({"[": "(", "]": ")", "<": "‹", ">": "›", "`": "'"})


def plain_title(text: str) -> str:
    """A headline as a message title: one line, no character that can open a link or a tag."""
    return excerpt(" ".join(text.split()), QUOTE_CHARS).translate(_TITLE_MARKUP)


def excerpt(text: str, limit: int | None) -> str:
    """``text`` cut to at most ``limit`` characters at a word, the cut marked with `CUT`."""
    if limit is None or len(text) <= limit:
        return text
    head = text[: limit - len(CUT)]
    if " " in head[limit // 2 :]:  # cut at a word when there is one in the second half
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + CUT


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
    link: str | None = None  # the fact's page in the web view, when `web.base_url` is set

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
        contents = [f"**{len(news)} changes**", "", *[f"- {md_text(n.title)}" for n in news]]
        body = "\n\n---\n\n".join(["\n".join(contents), *sections])
    fields = {"title": plain_title(title), "importance": level, "count": len(news),
              "channel": channel}  # fmt: skip
    return Message(Template(title_template).substitute(fields), body, NOTIFY_TYPES[level])


def check_message(channel: str) -> Message:
    """What `briefwatch channels test` sends."""
    return Message(
        f"briefwatch: test message for channel {channel}",
        f"If you can read this, alerts for **{md_text(channel)}** reach you here.\n\n"
        "Sent by `briefwatch channels test`; no fact has changed.",
        "info",
    )


def section(news: FactNews) -> str:
    """The default markdown for one fact: was -> now, who says what, the outlets."""
    if news.kind == "health":
        notes = [f"- {md_text(note)}" for note in news.notes]
        return "\n".join([f"**{md_text(news.label)}**", "", *notes])
    lines = [f"**{md_text(news.label)}**", ""]
    lines.append(f"Was: {_state(news.was)}" if news.was else "New fact.")
    lines += [f"Then: {_state(h)}" for h in news.headlines[:-1]]
    lines.append(f"Now: {_state(news.title)}")
    if news.disputed:
        lines.append("The sides' claims conflict: this is disputed, not settled.")
    lines += ["", "Who says what:", _evidence(news.evidence)]
    if news.copies:
        n = len(news.copies)
        lines += ["", f"Carried by {n} outlet{'s' if n != 1 else ''}:", _outlets(news.copies)]
    if news.link:
        lines += ["", f"The fact, its claims and its history: {md_link(news.link, news.link)}"]
    return "\n".join(lines)


def _body_fields(news: FactNews) -> dict[str, str]:
    return {
        "body": section(news),
        "title": md_text(news.title),
        "label": md_text(news.label),
        "kind": news.kind,
        "importance": news.importance,
        "was": _state(news.was) if news.was else "",
        "now": _state(news.title),
        "evidence": _evidence(news.evidence),
        "outlets": _outlets(news.copies),
        "link": md_link(news.link, news.link) if news.link else "",
    }


def _state(headline: str | None) -> str:
    """A headline without its subject: "Shusha: captured by ..." -> "captured by ..."
    (as markdown text: a speaker in it was named by a page)."""
    return md_text((headline or "").split(": ", 1)[-1])


def _evidence(evidence: Sequence[Evidence]) -> str:
    lines = []
    for item in evidence:
        who = md_text(item.claimed_by, NAME_CHARS) if item.claimed_by else "unattributed"
        stance = ""
        if item.side and item.status:
            side, status = md_text(item.side, NAME_CHARS), md_text(item.status, NAME_CHARS)
            stance = f"**{side}** ({status}) — "
        lines.append(f"- {stance}{who}:")
        lines.append(f"  > {md_text(item.sentence, QUOTE_CHARS)}")
        lines.append(f"  — {md_link(item.outlet, item.url)}")
    return "\n".join(lines)


def _outlets(copies: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"- {md_link(outlet, url)}" for outlet, url in copies)
