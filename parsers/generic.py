"""Any article page no site parser claims: trafilatura finds the body, `parsers.meta` the rest.

trafilatura gets the page's one lxml tree. It copies a tree it is handed before pruning it
(trafilatura 2.3, ``bare_extraction``: ``if tree is filecontent: tree = copy(tree)``), so the
shared ``page.tree`` is left as it was; a test keeps that true across upgrades. But it skips its
own input cleaning (``trafilatura.utils.load_html``) for a tree, so the tree must arrive as clean
as that would make it: `parsers.types.Page` builds it without comments and processing
instructions, and `xml_safe_tree` takes out the characters XML forbids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from parsers.boilerplate import clean_paragraphs
from parsers.chunks import joined_body
from parsers.meta import json_ld_objects, read_meta
from parsers.streamed import streamed_body
from parsers.text import element_text, normalize_space
from parsers.types import Page, ParsedArticle, Rejection, SiteParser

NAME = "generic"

# trafilatura's output (its XML vocabulary, trafilatura/xml.py): these elements are one
# paragraph each (a list gives one per item; a quote or item holding paragraphs stays one);
_PARAGRAPH_TAGS = frozenset({"p", "head", "quote", "item", "code"})
# these are runs of text inside a paragraph, or inside loose text (see `_paragraphs`); any
# other element (list, table, row, cell, div, note ...) holds paragraphs and loose text.
_INLINE_TAGS = frozenset({"hi", "ref", "del", "lb", "span", "sub", "sup", "abbr", "graphic"})
# A line break (``lb``) while a paragraph's text is gathered: XML text can never hold one.
_BREAK = "\x00"
_BLANK_LINE = re.compile(f"{_BREAK}[{_BREAK}\\s]*{_BREAK}")  # two breaks, spaces between


def parse(page: Page) -> ParsedArticle | Rejection:
    """Parse any article page by its main text and metadata, or say why it has no body."""
    rejected = page.parse_error()
    if rejected is not None:
        return rejected
    prune = _prune(page)
    # An article split into body chunks is read from a copy with the chunks joined.
    tree = joined_body(page.tree)
    document = _read(page.tree if tree is None else tree, page.url, prune)
    if _empty(document) and _has_invalid_xml(page):
        # trafilatura gives up on a page whose text holds a character XML forbids (its output
        # is XML). Rare, so the page is checked only then, and only then read again.
        document = _read(xml_safe_tree(page), page.url, prune)
    meta = read_meta(page)
    # trafilatura keeps the page's <h1>s (`_paragraphs` leaves them out): the headline is the
    # title, not the first paragraph, whichever of the page's headline forms it was taken from.
    found = list(_paragraphs(document.body)) if document else []
    links = _link_lines(page.tree) if _may_link_away(document) else frozenset()
    paragraphs = clean_paragraphs([t for t in found if t != meta.title and t not in links])
    if not paragraphs:
        paragraphs = _streamed_paragraphs(page, meta.title)
    if not paragraphs:
        return Rejection("no-body", "no article text was found on the page", page.url)
    if not meta.title:
        return Rejection("no-title", "the article has no headline", page.url)
    return ParsedArticle(
        url=meta.canonical_url,
        title=meta.title,
        paragraphs=tuple(paragraphs),
        parser=NAME,
        outlet=meta.outlet,
        published=meta.published,
        modified=meta.modified,
        authors=meta.authors,
        tags=meta.tags,
        language=meta.language,
    )


def _read(tree: etree._Element, url: str, prune: list[str] | None = None) -> Any:
    """trafilatura's reading of the page; of a short article, without its page-wide rescue.

    When its extractors find fewer than 250 characters (``MIN_EXTRACTED_SIZE``: a wire brief of
    one or two paragraphs), trafilatura takes its ``baseline`` instead if that is longer. The
    baseline's likeliest tiers (the JSON-LD ``articleBody``, the ``<article>``'s text, the whole
    page's text) come as ONE paragraph: headline, byline, share buttons, body, newsletter box and
    copyright on one line; on a page with no ``<article>`` its other tier is every ``<p>`` of the
    page, whose footer may be all it holds when the story is in ``<div>``s. Only then is the page
    read again with ``favor_precision``, which never takes the baseline, and that reading is kept
    when the rescue added only furniture to it (see `_within`, `_adds_little`). Otherwise the
    rescue stays: the precise reading found nothing (the baseline rescued a page the extractors
    cannot read) or less than the JSON-LD body (a paywall's teaser)."""
    document = _extract(tree, url, prune)
    if document is None:
        return document
    if _one_glob(document.body):
        precise = _extract(tree, url, prune, favor_precision=True)
        if precise is None:
            return document
        glob = normalize_space("".join(document.body[0].itertext()))
        found = list(_paragraphs(precise.body))
        return precise if _within(found, glob, declared=_declares_body(tree)) else document
    if _page_paragraphs(document.body, tree):
        precise = _extract(tree, url, prune, favor_precision=True)
        if precise is not None and _adds_little(document.body, list(_paragraphs(precise.body))):
            return precise
    return document


def _page_paragraphs(body: etree._Element, tree: etree._Element) -> bool:
    """Whether trafilatura's output may be its baseline's every-``<p>`` tier over a short story:
    only bare ``<p>``s, too little text to hold a story and its furniture (`_adds_little` takes
    less than twice MIN_EXTRACTED_SIZE), a page without ``<article>`` (else the baseline takes
    its text), and the very paragraphs trafilatura's public ``baseline`` reads (5 ms on a real
    page: asked only when the rest holds)."""
    if not len(body) or not all(_bare(child) for child in body):
        return False
    if sum(len(child.text) for child in body) >= 2 * _MIN_READING:
        return False
    if tree.find(".//article") is not None:
        return False
    from trafilatura import baseline

    return [child.text for child in body] == [child.text for child in baseline(tree)[0]]


def _adds_little(body: etree._Element, found: list[str]) -> bool:
    """Whether ``found`` (the precise reading, from ``<p>``s or ``<div>``s) is a short story
    (below MIN_EXTRACTED_SIZE, as trafilatura counts one) and the baseline's paragraphs hold
    less than that beyond it: furniture around a short story, not a story the extractors missed
    nor a longer one the precise reading cut."""
    text = " ".join(found)
    if not text or len(text) >= _MIN_READING:
        return False
    extra = sum(len(child.text) for child in body if child.text not in text)
    return extra < _MIN_READING


_MIN_READING = 250  # trafilatura's MIN_EXTRACTED_SIZE: below it, it rescues by the baseline


def _within(found: list[str], glob: str, *, declared: bool) -> bool:
    """Whether ``found`` (more than one paragraph, or other text than the glob) is all in the
    glob; and, when the page declares its body in JSON-LD (the baseline's first tier, which
    carries no furniture but may hold more than the page shows), the whole of it."""
    if not found or found == [glob] or not all(paragraph in glob for paragraph in found):
        return False
    if not declared:
        return True
    rest = glob
    for paragraph in found:
        rest = rest.replace(paragraph, " ", 1)
    return _WORD.search(rest) is None


_WORD = re.compile(r"\w")
_BODY_KEYS = ("articleBody", "reviewBody")  # the JSON-LD bodies trafilatura's baseline reads


def _declares_body(tree: etree._Element) -> bool:
    return any(
        isinstance(obj.get(key), str) and obj[key].strip()
        for obj in json_ld_objects(tree)
        for key in _BODY_KEYS
    )


def _streamed_paragraphs(page: Page, title: str) -> list[str]:
    """The paragraphs of an article the page streams in its script data (`parsers.streamed`),
    when the page itself shows none."""
    tree = streamed_body(page.body, page.tree)
    document = _extract(tree, page.url) if tree is not None else None
    found = list(_paragraphs(document.body)) if document is not None else []
    return clean_paragraphs([t for t in found if t != title])


def _extract(
    tree: etree._Element, url: str, prune: list[str] | None = None, favor_precision: bool = False
) -> Any:
    # Imported on first use: config validation imports the registry, and trafilatura alone takes
    # ~0.3 s to import.
    import trafilatura

    return trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=False,  # parsers.meta reads the metadata from the same tree
        prune_xpath=prune,  # applied to trafilatura's own copy: page.tree keeps them
    )


def _one_glob(body: etree._Element) -> bool:
    """Whether trafilatura's output is what its baseline builds of a block of the page: one
    ``<p>`` with text only, no attributes, no inline markup (its own paragraphs keep theirs)."""
    return len(body) == 1 and not (body.text or "").strip() and _bare(body[0])


def _bare(element: etree._Element) -> bool:
    return element.tag == "p" and not len(element) and not element.attrib and bool(element.text)


# Schema.org microdata written out as a hidden block (``<div style="display:none" itemscope
# itemtype=".../NewsArticle">`` holding the headline, the publisher's name, image URLs, dates,
# often the whole body again): trafilatura reads it as text, since it does not look at styles.
# Only hidden blocks that carry microdata: a hidden block without it may be the article itself,
# shown by a script (a paywall's, or a streamed React page's).
_HIDDEN_METADATA = ["//*[@itemscope][contains(translate(@style, ' ', ''), 'display:none')]"]


# A photo's caption: trafilatura drops a <figure> whole, but not a <figcaption> placed outside
# one (a gallery's or a lightbox's copy of the caption, after the photo), whose paragraphs it
# then reads as the article's, photo credit and all.
_CAPTIONS = "//figcaption"


def _prune(page: Page) -> list[str] | None:
    """What trafilatura should prune from its copy of the tree: hidden microdata blocks and
    captions, when the page may have them.

    The bytes are looked at first (memory speed): an XPath walks the whole tree, and most pages
    have no microdata at all. Styles are matched as CSS is written, in lower case."""
    body = page.body
    prune = []
    if b"itemscope" in body and (b"display:none" in body or b"display: none" in body):
        prune.extend(_HIDDEN_METADATA)
    if b"<figcaption" in body:
        prune.append(_CAPTIONS)
    return prune or None


# A paragraph or list item whose text is one link's and nothing else, of a few words at least,
# or one link after a short label ("Drought: <link>", "MORE | <link>"): a link to another
# story (a headline in capitals between paragraphs, a list of related stories under the
# article); and a list item whose heading is such a link (a teaser card: the other story's
# headline, then its standfirst). Links within the page (``#...``: a table of contents) are
# left alone, since their text is the article's own subheadings.
_ONE_LINK = (
    "[.//a][contains(normalize-space(.//a), ' ')][normalize-space(.) = normalize-space(.//a)]"
    "[.//a[@href][not(contains(@href, '#'))]]"
)
_TEXT, _LINK = "normalize-space(.)", "normalize-space(.//a)"
_LABEL = f"normalize-space(substring-before({_TEXT}, {_LINK}))"
_LAST = f"substring({_LABEL}, string-length({_LABEL}))"
_LABELLED_LINK = (
    f"[.//a][contains({_LINK}, ' ')][substring-after({_TEXT}, {_LINK}) = '']"
    f"[string-length({_LABEL}) <= 40][{_TEXT} = {_LINK} or {_LAST} = ':' or {_LAST} = '|']"
    "[.//a[@href][not(contains(@href, '#'))]]"
)
_LINKED_HEADING = "[.//*[self::h2 or self::h3 or self::h4]" + _ONE_LINK + "]"
_LINK_ONLY = etree.XPath(f"//p{_LABELLED_LINK} | //li{_LABELLED_LINK} | //li{_LINKED_HEADING}")
_LINK_WORDS = 4  # fewer is a menu's or a button's link ("Politics", "Read more"), not a headline

# A paragraph of several links to other stories: "Read more: <link> | <link>", or headlines
# each followed by a bracketed label ("<link> [VIDEO] <link> [INSIGHT]"). Text outside the links
# is a short label before the first and separators or bracketed labels between them, nothing
# else (`_several_links_line`). Paragraphs only: list items of several links are mostly menus,
# and searching the page's list items too would double the cost of the search.
_LINKS = ".//a[@href][not(contains(@href, '#'))]"
_SEVERAL_LINKS = etree.XPath(f"//p[count({_LINKS}) >= 2]")
_LINKS_IN = etree.XPath(_LINKS)
_SEPARATORS = re.compile(r"\[[^\]]{1,20}\]|[\s|·•,;/()–—-]+")
_LABEL_LENGTH = 40


# How a sentence ends (a closing quote or bracket may follow): a paragraph that ends otherwise
# may be a headline, and only then is the page searched for its one-link lines (0.5-1 ms).
_SENTENCE_END = re.compile(r"[.!…:;,]['\"’”»)\]]*$")


def _may_link_away(document: Any) -> bool:
    """Whether a paragraph or list item of trafilatura's output reads as a headline: four words
    or more that do not end as a sentence does (its headings are the article's own)."""
    if document is None:
        return False
    for element in document.body.iter("p", "item"):
        line = normalize_space("".join(element.itertext()))
        if line.count(" ") >= _LINK_WORDS - 1 and _SENTENCE_END.search(line) is None:
            return True
    return False


def _link_lines(tree: etree._Element) -> frozenset[str]:
    """The text of every paragraph and list item of the page that is one link (after a short
    label at most), and of every list item headed by one link.

    trafilatura's output says nothing of links (``include_links`` would, but it changes what
    trafilatura keeps), so such lines are found in the page and matched by their text."""
    lines = [element_text(element) for element in _LINK_ONLY(tree)]
    lines.extend(filter(None, map(_several_links_line, _SEVERAL_LINKS(tree))))
    return frozenset(line for line in lines if line.count(" ") >= _LINK_WORDS - 1)


def _several_links_line(element: etree._Element) -> str:
    """The text of ``element`` when it is a line of links to other stories (see
    `_SEVERAL_LINKS`), else the empty string."""
    text = element_text(element)
    rest, label = text, ""
    for n, link in enumerate(_LINKS_IN(element)):
        words = element_text(link)
        at = rest.find(words) if " " in words else -1  # a one-word link: a tag's, a name's
        if at == -1:
            return ""
        if n == 0:
            label = rest[:at]
        elif _SEPARATORS.sub("", rest[:at]):
            return ""  # words of its own between two links: a sentence that links
        rest = rest[at + len(words) :]
    if len(label) > _LABEL_LENGTH or _SEPARATORS.sub("", rest):
        return ""
    return text


def _empty(document: Any) -> bool:
    return document is None or not (len(document.body) or (document.body.text or "").strip())


def xml_safe_tree(page: Page) -> etree._Element:
    """``page.tree`` without the characters XML forbids (C0 controls but tab and newlines,
    U+FFFE, U+FFFF), which trafilatura removes from a page it parses itself: a single one left
    in the tree makes it return nothing, since its output elements must be XML.

    Cleaned in place (no reader of the page wants these characters), when `parse` finds that
    trafilatura gave up on the page and that the page has one.
    """
    tree = page.tree
    for element in tree.iter():
        for name in ("text", "tail"):
            value = getattr(element, name)
            if value and _INVALID_XML.search(value):
                setattr(element, name, _INVALID_XML.sub("", value))
        for key, value in element.attrib.items():
            if _INVALID_XML.search(value):
                element.set(key, _INVALID_XML.sub("", value))
    return tree


_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _has_invalid_xml(page: Page) -> bool:
    encoding = page.decoding.encoding
    if encoding.startswith(("utf-16", "utf-32")):  # their bytes say nothing of the characters
        return _INVALID_XML.search(page.text) is not None
    # Any other codec here keeps ASCII's control bytes as themselves (multi-byte ones included:
    # their trailing bytes are 0x40 and up), so the raw bytes answer, at memory speed.
    body = page.body
    if len(body.translate(None, _CONTROL_BYTES)) != len(body):
        return True
    return encoding == "utf-8" and (b"\xef\xbf\xbe" in body or b"\xef\xbf\xbf" in body)


def _paragraphs(body: etree._Element) -> Iterator[str]:
    """One string per paragraph of trafilatura's output, all of its text, in order.

    The page's ``<h1>``s (``head rend="h1"``) are left out: the headline is the title, and a
    page's other ``<h1>`` is its logo or a section name, not the article's text.
    Text outside the paragraph elements is kept as trafilatura's own text output keeps it:
    text after a heading or paragraph (its tail) and text right in the body or in a list are
    paragraphs of their own, ending at the next paragraph element. Inside a paragraph, one line
    break is a space and a blank line (two breaks: old CMSs' ``<br><br>``) starts a new one.
    """
    loose: list[str] = []
    yield from _blocks(body, loose)
    yield from _flush(loose)


def _blocks(container: etree._Element, loose: list[str]) -> Iterator[str]:
    loose.append(container.text or "")
    for child in container:
        tag = child.tag
        if tag == "head" and child.get("rend") == "h1":  # the page's headline, or its logo
            yield from _flush(loose)
        elif tag in _PARAGRAPH_TAGS:
            yield from _flush(loose)
            own: list[str] = []
            _gather(child, own)
            yield from _flush(own)
        elif tag in _INLINE_TAGS or not isinstance(tag, str):
            _gather(child, loose)
        else:
            yield from _flush(loose)
            yield from _blocks(child, loose)
            yield from _flush(loose)
        loose.append(child.tail or "")


def _gather(element: etree._Element, parts: list[str]) -> None:
    """The text of ``element`` and everything in it (not its tail), breaks marked."""
    tag = element.tag
    if not isinstance(tag, str):
        return
    if tag == "lb":
        parts.append(_BREAK)
        return
    gap = "" if tag in _INLINE_TAGS else " "  # a paragraph held in a quote or item stays apart
    parts.append(gap + (element.text or ""))
    for child in element:
        _gather(child, parts)
        parts.append(child.tail or "")
    parts.append(gap)


def _flush(parts: list[str]) -> Iterator[str]:
    text = "".join(parts)
    parts.clear()
    if _BREAK not in text:  # most paragraphs: no line breaks at all
        line = normalize_space(text)
        if line:
            yield line
        return
    for chunk in _BLANK_LINE.split(text):
        line = normalize_space(chunk.replace(_BREAK, " "))
        if line:
            yield line


PARSER = SiteParser(
    name=NAME,
    parse=parse,
    description="Any other article page: trafilatura body text plus page metadata",
)
