"""Page metadata read from the one lxml tree: canonical URL, times, title, outlet, authors.

Every reader here takes the already parsed ``page.tree``; nothing parses the page again. Site
parsers read their own visible markup first and fall back on `read_meta` for the rest.

Times are always timezone-aware. A time string without an offset ("2020-11-09T18:00:00", or a
bare date) is taken as UTC: that is the only case where a zone is assumed, and it is a guess, since
the page did not say. The published time is looked for in the page's meta tags (ISO 8601, RFC
2822, or any other way of writing a date with its year), then its JSON-LD (the article's, then
any other object's), then ``<time datetime>`` elements, then in the URL (``/2020/11/09/``:
midnight UTC of that day), and last by htmldate in what a reader sees (a byline's "Published
March 3, 2024": midnight UTC too). A site parser whose visible time is not the publication time
(The Moscow Times shows the update time) asks `read_meta` to leave ``<time>`` elements and
htmldate out.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from parsers.text import normalize_space
from parsers.titles import choose_title, site_names
from parsers.types import Page

log = logging.getLogger(__name__)

# schema.org types that mean "this page is one article".
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
    }
)

# Meta keys in the order they are trusted; the first one present wins. The exact time of the
# Open Graph and schema.org keys first, then the other names newsrooms' CMSs use, then the
# loose "date" ones (often a day only).
_PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "article:published:time",
    "og:published_time",
    "datepublished",
    "date_published",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "dc.date",
    "date",
)
_MODIFIED_KEYS = (
    "article:modified_time",
    "og:article:modified_time",
    "article:modified:time",
    "datemodified",
    "og:updated_time",
    "dcterms.modified",
)


@dataclass(frozen=True)
class PageMeta:
    """What a page says about itself, outside its body text."""

    canonical_url: str  # rel=canonical made absolute, else the fetched URL
    title: str
    published: datetime | None
    modified: datetime | None
    outlet: str  # og:site_name or JSON-LD publisher, else the host without "www."
    authors: tuple[str, ...]
    language: str | None
    tags: tuple[str, ...]
    og_type: str
    json_ld: tuple[dict[str, Any], ...]  # every JSON-LD object, @graph members flattened


def read_meta(page: Page, *, visible_times: bool = True) -> PageMeta:
    """Read all metadata of ``page`` from its lxml tree.

    ``visible_times=False`` leaves ``<time>`` elements out of the published time (see above).
    """
    tree = page.tree
    metas = meta_values(tree)
    objects = json_ld_objects(tree)
    article = article_object(objects) or {}
    outlet = _outlet(metas, article, page.url)
    visible = _time_elements(tree) if visible_times else []
    # The article's own JSON-LD dates first, then any other object's (a WebPage, a
    # ClaimReview, a VideoObject: the page's, when it declares no article).
    declared = [article, *(obj for obj in objects if obj is not article)]
    canonical = canonical_url(tree, page.url)
    published = (
        _first_time(
            [
                *_values(metas, _PUBLISHED_KEYS),
                *(obj.get("datePublished") for obj in declared),
                *visible,
            ]
        )
        or date_from_url(canonical)
        or date_from_url(page.url)
    )
    if published is None and visible_times:
        published = date_found_by_htmldate(tree, page.url)
    return PageMeta(
        canonical_url=canonical,
        title=choose_title(tree, metas, article, site_names(metas, objects, page.url)),
        published=published,
        modified=_first_time(
            [*_values(metas, _MODIFIED_KEYS), *(obj.get("dateModified") for obj in declared)]
        ),
        outlet=outlet,
        authors=_authors(metas, article),
        language=_language(tree, metas, article),
        tags=_tags(metas, article),
        og_type=(metas.get("og:type") or [""])[0].lower(),
        json_ld=objects,
    )


def meta_values(tree: etree._Element) -> dict[str, list[str]]:
    """Every ``<meta>`` content keyed by its lower-cased property, name or itemprop, in order."""
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (
            meta.get("property")
            or meta.get("name")
            or meta.get("itemprop")
            or meta.get("http-equiv")
        )
        content = meta.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), []).append(content.strip())
    return values


def base_url(tree: etree._Element, url: str) -> str:
    """The URL relative links resolve against: ``<base href>`` when the page sets one."""
    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(url, href)
    return url


def canonical_url(tree: etree._Element, url: str) -> str:
    """The page's ``<link rel="canonical">``, made absolute; ``url`` when it declares none."""
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            return urljoin(base_url(tree, url), href)
    return url


def json_ld_objects(tree: etree._Element) -> tuple[dict[str, Any], ...]:
    """Every JSON-LD object on the page, with ``@graph`` members and top-level lists flattened.

    A block that is not valid JSON is skipped: one broken script must not hide the others.
    """
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            # strict=False: raw newlines and tabs inside strings are common in the wild.
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        objects.extend(_flatten(data))
    return tuple(objects)


def article_object(objects: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The first JSON-LD object typed as an article (NewsArticle, BlogPosting ...), if any."""
    for obj in objects:
        if ARTICLE_TYPES.intersection(json_ld_types(obj)):
            return obj
    return None


def json_ld_types(obj: dict[str, Any]) -> tuple[str, ...]:
    """The ``@type`` of a JSON-LD object as a tuple (it may be a string or a list)."""
    kind = obj.get("@type")
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(k for k in kind if isinstance(k, str))
    return ()


def parse_datetime(value: object, *, loose: bool = False) -> datetime | None:
    """A timezone-aware datetime from ISO 8601 or RFC 2822 text; ``None`` when unreadable.

    ``loose`` also reads the other ways pages write a time in their metadata ("25.04.2024
    14:07 Uhr", "April 25, 2024 2:07 PM", "2024/04/25"), as long as it holds a four-digit
    year: without one, a parser of free text makes a date out of any number. A string with no
    offset is read as UTC (see the module docstring).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            if _AM_PM.search(text):  # RFC 2822 has none, and its parser drops it: 2 PM read as 2:00
                raise ValueError(text)
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            found = _loose_datetime(text) if loose else None
            if found is None:
                return None
            parsed = found
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_AM_PM = re.compile(r"\d\s*[ap]\.?m\b\.?", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DAY_FIRST = re.compile(r"^\s*\d{1,2}\.\s*\d{1,2}\.")  # 25.04.2024: dots are day first


def _loose_datetime(text: str) -> datetime | None:
    if len(text) > 80 or not _YEAR.search(text):
        return None
    from dateutil import parser  # imported on first use: most pages write ISO 8601

    try:
        with warnings.catch_warnings():  # a zone it cannot place ("IST") is read as UTC here
            warnings.simplefilter("ignore", parser.UnknownTimezoneWarning)
            found = parser.parse(text, dayfirst=bool(_DAY_FIRST.match(text)), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    return found if 1990 <= found.year <= datetime.now(UTC).year + 1 else None


def date_found_by_htmldate(tree: etree._Element, url: str) -> datetime | None:
    """The publication day htmldate finds on a page whose metadata states none (midnight UTC).

    htmldate (trafilatura's own date finder) reads what a reader reads: dates next to the
    byline, in the text, in image names. It copies a tree it is handed before pruning it, so
    the page's one tree is not changed; any failure of its own leaves the page undated, never
    unread.
    """
    import htmldate  # imported on first use: few pages get this far

    try:
        found = htmldate.find_date(tree, url=url, original_date=True)
    except Exception:  # a date guess must never cost the article
        log.warning("htmldate failed on %s", url, exc_info=True)
        return None
    try:
        return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=UTC) if found else None
    except ValueError:
        return None


# /2020/11/09/, /2020-11-09, /20201109 in a URL's path, with a plausible year.
_URL_DATE = re.compile(
    r"(?<![\d])((?:19|20)\d\d)(?:/|-|_)?(0[1-9]|1[0-2])(?:/|-|_)?(0[1-9]|[12]\d|3[01])(?![\d])"
)


def date_from_url(url: str, zone: tzinfo = UTC) -> datetime | None:
    """The date a URL's path carries (``/2020/11/09/slug``), as midnight in ``zone``; else None.

    The last resort for a page that states no time: a day is better than nothing for ordering
    and for reading "on Monday" in its text.
    """
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, tzinfo=zone)
    except ValueError:  # 2020/02/31
        return None


def _flatten(data: object) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        if isinstance(data.get("@graph"), list):
            yield from _flatten(data["@graph"])


def _values(metas: dict[str, list[str]], keys: Iterable[str]) -> list[str]:
    return [metas[key][0] for key in keys if key in metas]


def _first_time(candidates: Iterable[object]) -> datetime | None:
    for candidate in candidates:
        parsed = parse_datetime(candidate, loose=True)
        if parsed is not None:
            return parsed
    return None


def _time_elements(tree: etree._Element) -> list[str]:
    """``<time datetime>`` values, ones marked as the publication time first (the last resort)."""
    marked = tree.xpath("//time[@datetime][@pubdate or @itemprop='datePublished']/@datetime")
    return [*marked, *tree.xpath("//time/@datetime")]


def _name(value: object) -> str:
    """The display name of a JSON-LD Person/Organization, or of a plain string."""
    if isinstance(value, dict):
        value = value.get("name")
    return normalize_space(value) if isinstance(value, str) else ""


def _outlet(metas: dict[str, list[str]], article: dict[str, Any], url: str) -> str:
    for candidate in (*metas.get("og:site_name", []), _name(article.get("publisher"))):
        if candidate:
            return normalize_space(candidate)
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _authors(metas: dict[str, list[str]], article: dict[str, Any]) -> tuple[str, ...]:
    author = article.get("author")
    people = author if isinstance(author, list) else [author]
    names = [_name(person) for person in people if person]
    if not any(names):
        # article:author is often a profile URL rather than a name: keep names only.
        names = [
            value
            for value in metas.get("author", []) + metas.get("article:author", [])
            if "://" not in value
        ]
    return tuple(dict.fromkeys(normalize_space(name) for name in names if name))


def _language(
    tree: etree._Element, metas: dict[str, list[str]], article: dict[str, Any]
) -> str | None:
    root = tree.getroottree().getroot()
    in_language = article.get("inLanguage")
    for candidate in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        *metas.get("og:locale", []),
        *metas.get("content-language", []),
        in_language if isinstance(in_language, str) else None,
    ):
        if candidate and candidate.strip():
            return candidate.strip().replace("_", "-")
    return None


def _tags(metas: dict[str, list[str]], article: dict[str, Any]) -> tuple[str, ...]:
    # article:tag may repeat, or be one comma-joined string (The Moscow Times does the latter).
    raw: list[str] = [part for value in metas.get("article:tag", []) for part in value.split(",")]
    if not raw:
        keywords = article.get("keywords")
        if isinstance(keywords, str):
            raw = keywords.split(",")
        elif isinstance(keywords, list):
            raw = [k for k in keywords if isinstance(k, str)]
    return tuple(dict.fromkeys(normalize_space(tag) for tag in raw if tag.strip()))
