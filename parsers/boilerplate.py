"""Wire datelines and outlet boilerplate: the lines that differ between copies of one story.

Syndicated copies of a wire story carry the same body under different datelines, copyright
lines, "Read more" links and newsletter prompts. Dropping them here keeps bodies comparable and
keeps claims out of furniture. The list is short on purpose: a pattern belongs here only when it
can never be a sentence of news.
"""

from __future__ import annotations

import re

# Agencies whose name appears in a dateline, as in "YEREVAN (AFP) - ".
_AGENCIES = r"AFP|AP|Reuters|dpa|ANSA|EFE|Xinhua|TASS|Interfax|RIA Novosti|Anadolu"

_DATELINES = (
    # "YEREVAN (AFP) - ", "Yerevan (AFP) – ", "BAKU, Azerbaijan (AP) — ",
    # "MOSCOW, Nov 9 (Reuters) - "
    # The agency in brackets followed by a dash is evidence enough, so the place may be in any case.
    re.compile(
        rf"^[A-Z][A-Za-z .'’-]{{1,40}}(?:,[^()]{{1,40}})?\s*\((?:{_AGENCIES})\)\s*[-–—:]+\s*"
    ),
    # Armenpress: "YEREVAN, NOVEMBER 15, ARMENPRESS. "
    re.compile(r"^[A-Z][A-Z .'-]{1,40},\s*[A-Z]+ \d{1,2},\s*ARMENPRESS\.\s*"),
    # An outlet's own dateline, no agency: "YEREVAN - ", "BAKU, Azerbaijan — ". The place must be
    # in capitals and the dash spaced, so ordinary sentences are not touched.
    re.compile(r"^[A-Z]{3,}(?:[ .'’-][A-Z]+)*(?:,[^()]{1,40}?)?\s+[-–—]+\s+"),
)

# Whole lines that are outlet furniture, never news. Matched against short lines only.
_BOILERPLATE = (
    re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE),  # "© 2020 AFP", "Copyright AFP"
    re.compile(r"^all rights reserved\b", re.IGNORECASE),
    re.compile(r"^read (?:more|also)\s*[:|-]", re.IGNORECASE),  # "Read more: ..."
    re.compile(r"^(?:sign up|subscribe)\b.*\bnewsletter", re.IGNORECASE),
    re.compile(r"^follow us on\b", re.IGNORECASE),
    re.compile(r"^editing and translating by\b", re.IGNORECASE),  # Armenpress footer
    # WordPress feeds: "The post <title> appeared first on <site>."
    re.compile(r"^the post .+ appeared first on .+$", re.IGNORECASE),
    # Share bars: "Share this:", "Share this article", "Share on Facebook" ("Share prices" stays).
    re.compile(r"^share(?: this(?: article| story| page)?)?\s*(?::|$|on\b|via\b)", re.IGNORECASE),
    # Cookie banners: "We use cookies ...", "This site uses cookies", "By continuing to use ..."
    re.compile(r"^(?:we|this (?:web)?site) uses? cookies\b", re.IGNORECASE),
    re.compile(r"^by (?:continuing to use|using) (?:this|our) (?:web)?site\b", re.IGNORECASE),
    re.compile(r"^advertisement$", re.IGNORECASE),
    # A live blog's lone timestamps: "14:40", "Updated 09:15 GMT".
    re.compile(r"^(?:updated:?\s*)?\d{1,2}:\d{2}(?:\s*(?:am|pm|gmt|utc|msk|cet))?$", re.IGNORECASE),
)
_MAX_BOILERPLATE_LENGTH = 160  # a longer line is prose, whatever it starts with


def strip_dateline(paragraph: str) -> str:
    """``paragraph`` without a leading wire dateline ("YEREVAN (AFP) - ")."""
    for pattern in _DATELINES:
        stripped = pattern.sub("", paragraph, count=1)
        if stripped != paragraph:
            return stripped
    return paragraph


def is_boilerplate(paragraph: str) -> bool:
    """True when ``paragraph`` is a copyright line, a "Read more" link or a newsletter prompt."""
    if len(paragraph) > _MAX_BOILERPLATE_LENGTH:
        return False
    return any(pattern.match(paragraph) for pattern in _BOILERPLATE)


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop boilerplate lines and strip the dateline from the first paragraph that remains."""
    kept = [paragraph for paragraph in paragraphs if not is_boilerplate(paragraph)]
    if kept:
        kept[0] = strip_dateline(kept[0])
    return [paragraph for paragraph in kept if paragraph]
