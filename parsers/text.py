"""Readable text out of lxml elements: one place that decides how markup becomes a sentence."""

from __future__ import annotations

import re

from lxml import etree

# Text inside these never reaches a reader's eyes.
_HIDDEN = frozenset({"script", "style", "noscript", "template"})
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "blockquote",
    }
)


# C0 control characters but tab, newline and carriage return: no reader sees them, PostgreSQL
# cannot store NUL in a text column, and a NUL inside a word ("Shu\x00sha") hides the word from
# the extractor while it still reads as the word on screen. The ones Python's ``str.split``
# counts as whitespace (vertical tab, form feed, the separators) part words: they become a space.
# A lone surrogate (JSON's "\ud800" in a page's JSON-LD decodes to one) cannot be encoded as
# UTF-8 at all, so no store takes it: it becomes U+FFFD, as a browser shows it.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b]+")
_SPACING = re.compile(r"[\x0b\x0c\x1c-\x1f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """``text`` without its control characters (see `_INVISIBLE`) and lone surrogates; the same
    object when clean."""
    if not _ANY_CONTROL.search(text):
        return text
    return _SURROGATE.sub("\ufffd", _SPACING.sub(" ", _INVISIBLE.sub("", text)))


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space and trim."""
    return " ".join(text.split())


def element_text(element: etree._Element) -> str:
    """The visible text of ``element`` on one line.

    Unlike ``text_content()`` this skips scripts and styles and turns ``<br>`` into a space, so
    "line one<br>line two" does not fuse into "line onelinetwo".
    """
    if not len(element):  # no child nodes at all: most paragraphs; same result, no walk
        tag = element.tag
        if not isinstance(tag, str) or tag in _HIDDEN or tag == "br":
            return ""
        return normalize_space(element.text or "")
    parts: list[str] = []
    _collect(element, parts)
    return normalize_space("".join(parts))


def _collect(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag in _HIDDEN:  # comments, processing instructions, scripts
        return
    if tag == "br":
        parts.append(" ")
        return
    # Block children are separate lines on screen: keep a space between them.
    gap = " " if tag in _BLOCKS else ""
    parts.append(gap + (element.text or ""))
    for child in element:
        _collect(child, parts)
        parts.append(child.tail or "")
    parts.append(gap)
