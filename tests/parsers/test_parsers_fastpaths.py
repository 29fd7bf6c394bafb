"""The parse stage's shortcuts give exactly what the plain code they stand in for gives.

Each shortcut (issue 7: site-parsed pages within 3x of a bare lxml parse) is checked against the
straightforward form it replaced, on seeded random input or on pages built to hit every branch.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import lxml.html
import pytest

from parsers import moscowtimes
from parsers.boilerplate import _BOILERPLATE, is_boilerplate
from parsers.encoding import _MOJIBAKE, Decoding, mojibake_in, sniff_encoding
from parsers.text import _collect, element_text, normalize_space
from parsers.types import _CLOSED, Page, _closes

# The mojibake pattern as first written: one alternation of the three openings.
PLAIN_MOJIBAKE = re.compile(
    "[ÃÂ][\u0080-\u00bf]|â€[\u0080-\u00bf\u2018-\u201e\u2020-\u203a™œž]|[ÐÑ][\u0080-\u00bf\u2018-\u203a]"
)


def test_mojibake_pattern_finds_what_the_plain_alternation_finds() -> None:
    rng = random.Random(7)
    alphabet = "ÃÂâÐÑ€\u0080\u00a9\u00bf\u00c0\u2018\u201e\u201f\u2020\u203a\u203b™œžab "
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert _MOJIBAKE.findall(text) == PLAIN_MOJIBAKE.findall(text), text
    assert mojibake_in("CafÃ© and itâ€™s") == "Ã© â€™"


def test_closing_tag_search_from_the_end_agrees_with_a_forward_search() -> None:
    rng = random.Random(7)
    pieces = ["</", "</html>", "</BODY >", "</body", ">", "x", "<", "/", " ", "html>", "\n"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        start = rng.randint(0, len(text) + 1)
        assert _closes(text, start) == bool(_CLOSED.search(text, start)), (text, start)


@pytest.mark.parametrize(
    "markup",
    ["<p> a\u00a0 b </p>", "<p></p>", "<div>x</div>", "<script>x</script>", "<p>a<br>b</p>"],
)
def test_element_text_of_a_leaf_is_the_walk_result(markup: str) -> None:
    tree = lxml.html.fromstring(f"<div>{markup}<br><!-- note --></div>")
    for element in tree.iter():
        parts: list[str] = []
        _collect(element, parts)
        assert element_text(element) == normalize_space("".join(parts))


BLOCKS = """<html><body>
<div class="article__content">
  <div class="article__block article__block--html"><p>one</p><h2>two</h2></div>
  <div class="article__block article__block--html"><p>a</p><figure><p>caption</p></figure></div>
  <div class="article__block article__block--html"><ul><li>x<p>in item</p></li></ul></div>
  <div class="article__block article__block--html"><div class="ad banner"><p>ad</p></div></div>
  <div class="article__block article__block--html"><div class="banners"><p>kept</p></div></div>
  <aside><div class="article__block article__block--html"><p>aside</p></div></aside>
  <div class="top-banner x"><div class="article__block article__block--html"><p>b</p></div></div>
  <div class="byline__author__name">Name</div>
</div></body></html>"""


def test_block_items_shortcut_and_class_scan_match_the_plain_xpath() -> None:
    tree = lxml.html.fromstring(BLOCKS)
    for block in tree.iter("div"):
        exact = moscowtimes._BLOCK_ITEMS(block)
        assert (exact if moscowtimes._MAY_SKIP(block) else moscowtimes._ALL_ITEMS(block)) == exact
    plain = tree.xpath("//*[@class[contains(., 'article__') or contains(., 'byline__')]]")
    assert moscowtimes._MARKED(tree) == plain


@pytest.mark.parametrize(
    ("body", "charset"),
    [
        (b"<html><body><p>Plain ASCII</p></body></html>", "utf-8"),
        ("\ufeff<html><body><p>Ереван — “quotes”</p></body></html>".encode(), None),
        ("<html><body><p>Café</p></body></html>".encode("cp1252"), "windows-1252"),
    ],
)
def test_tree_is_built_from_the_decoded_text(body: bytes, charset: str | None) -> None:
    page = Page("https://example.org/a", body, "text/html", charset)
    expected = lxml.html.document_fromstring(
        page.text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
    )
    assert lxml.html.tostring(page.tree) == lxml.html.tostring(expected)


def test_ascii_body_under_a_utf8_header_is_utf8_from_the_header() -> None:
    assert sniff_encoding(b"<html><meta charset=latin-1>x</html>", "utf-8") == Decoding(
        "utf-8", "http"
    )


def test_the_one_boilerplate_pattern_matches_what_its_parts_match() -> None:
    fixtures = Path(__file__).parents[1] / "fixtures" / "pages"
    lines = {
        line.strip()
        for page in fixtures.rglob("*.html")
        if page.stat().st_size
        for line in lxml.html.fromstring(page.read_bytes()).itertext()
        if line.strip()
    }
    lines |= {"© 2024 AFP", "Read more: x", "12 Comments", "Published 3 May 2024", "Share prices"}
    assert len(lines) > 300
    for line in lines:
        expected = len(line) <= 160 and any(p.match(line) for p in _BOILERPLATE)
        assert is_boilerplate(line) == expected, line
