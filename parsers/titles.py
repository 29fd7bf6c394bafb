"""An article's headline from its page metadata, without the site's name around it.

Pages say their headline several times: the JSON-LD article's ``headline`` (what the newsroom
declared for this article), ``og:title`` and ``twitter:title`` (often rewritten for sharing),
the ``<h1>``, and ``<title>``. The order tried here is that one, and on real pages it is the
one that most often gives the headline a reader sees (bench/realpages: JSON-LD first is right
on more pages than og:title first). Every one of them may carry the site's name
("Headline | Outlet", "Headline - Outlet.de", "Outlet: Headline"), which is cut off when the
site names itself so in its metadata or its host; a candidate that is only the site's name is
passed over.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from parsers.text import element_text, normalize_space

# Between a headline and the site's name: a spaced dash or bar, or a bar or colon that East
# Asian sites put unspaced (full-width or not).
_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»:]|::)\s+|\s*[|｜：]\s*")
# Not application-name and its kin: some sites put each page's headline there.
_NAME_KEYS = ("og:site_name", "twitter:site")
_ORGANISATIONS = frozenset({"Organization", "NewsMediaOrganization", "WebSite", "Corporation"})
_LONG_NAME = 4  # a name this long may be followed by more ("Outlet" in "Outlet.com News")


def site_names(
    metas: dict[str, list[str]], objects: Iterable[dict[str, Any]], url: str
) -> frozenset[str]:
    """The names a site calls itself by, folded (`_fold`): its metadata's site and publisher
    names, and its host ("golem.de", "golem")."""
    found = [value.lstrip("@") for key in _NAME_KEYS for value in metas.get(key, [])]
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict):
            found.append(publisher.get("name"))
        kinds = obj.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if _ORGANISATIONS.intersection(k for k in kinds if isinstance(k, str)):
            found.append(obj.get("name"))
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    if len(labels) >= 2:
        found += [host, ".".join(labels[-2:]), labels[-2]]
    return frozenset(f for f in (_fold(n) for n in found if isinstance(n, str)) if len(f) >= 2)


def strip_site_name(title: str, names: frozenset[str]) -> str:
    """``title`` without a site name after (or before) it: "Headline | Outlet" -> "Headline".

    Cut at the first separator that the site's name follows, with anything after it ("| DW |
    28.04.2023", "| Outlet | by Author"); a separator that no site name follows is part of the
    headline ("Talks stall - then resume").
    """
    title = normalize_space(title)
    if not names:
        return title
    for match in _SEPARATOR.finditer(title):
        after = _SEPARATOR.split(title[match.end() :], maxsplit=1)[0]
        if _is_name(after, names) and title[: match.start()].strip():
            return title[: match.start()].strip()
    first = _SEPARATOR.search(title)
    if first and _fold(title[: first.start()]) in names:
        rest = title[first.end() :].strip()
        if rest:
            return rest
    return title


def choose_title(
    tree: etree._Element,
    metas: dict[str, list[str]],
    article: dict[str, Any],
    names: frozenset[str],
) -> str:
    """The article's headline (see the module docstring), or "" when the page states none."""
    headline = article.get("headline")
    declared = [html.unescape(headline)] if isinstance(headline, str) else []
    for candidate in (*declared, *metas.get("og:title", []), *metas.get("twitter:title", [])):
        title = _usable(candidate, names)
        if title:
            return title
    headings = tree.xpath("//body//h1")
    if len(headings) == 1:
        title = _usable(element_text(headings[0]), names)
        if title:
            return title
    for element in tree.iter("title"):
        return _usable(element_text(element), names)
    return ""


def _usable(candidate: str, names: frozenset[str]) -> str:
    title = strip_site_name(candidate, names)
    return "" if not title or _fold(title) in names else title


def _is_name(text: str, names: frozenset[str]) -> bool:
    """True when ``text`` is one of the site's names, or starts with one of four letters or
    more ("Golem.de" for "golem", "Bhopal News - The Times of India" is not; "DW" only as
    itself, so that "DWP" is not taken for it)."""
    folded = _fold(text)
    if not folded:
        return False
    return folded in names or any(
        len(name) >= _LONG_NAME and folded.startswith(name) for name in names
    )


def _fold(text: str) -> str:
    """Lower case, letters and digits only: "Golem.de" and "golem de" are the same name."""
    return re.sub(r"\W+", "", text.lower())
