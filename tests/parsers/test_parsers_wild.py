"""Pages shaped like the traps real outlets set (issue 13), each served on 127.0.0.1 and read
through the fetcher and `briefwatch.pages.read` as a pass reads it.

The fixtures in ``fixtures/pages/wild`` were written for these tests (outlets and stories are
made up); each copies the shape of a class of real pages that were read wrong, not their text:

- another CMS's BEM class names (``article__content``, ``article__block``) that once made the
  Moscow Times parser claim, then reject, the page;
- a Moscow Times page republished elsewhere whose blocks its own parser cannot read;
- a page whose visible text is right but whose script comments are garbled, next to a page
  double-encoded at its source;
- a server-rendered React page whose text runs are split by empty comments, and a page with
  one control character in a paragraph: trafilatura cleans both out of a page it parses itself,
  not out of the tree it is handed;
- a page whose text sits between its subheadings, outside any paragraph, with a code block;
- a whole page that leaves out </body> and </html> (HTML allows it), next to cut-off copies;
- titles with the site's name around them, and a page whose og:title is only the site's name;
- a date in a WebPage's JSON-LD, a date in meta written the German way, and a page dated only
  in its byline;
- outlet furniture that trafilatura keeps (links to other stories, newsletter prompts, credits,
  time stamps), next to sentences of news that look a little like it;
- schema.org microdata written out as a hidden block, and paragraphs that are one link to
  another story each, next to a table of contents and sentences with links in them;
- an article body split into chunks with an ad between them, of which trafilatura reads one;
  a paragraph that is several links to other stories, next to a sentence holding two links;
- a Next.js page whose article is only in the flight data its scripts push.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from briefwatch.config import FetchSettings
from briefwatch.fetch.client import Fetched, Fetcher
from briefwatch.pages.read import Job, prepare
from parsers.boilerplate import is_boilerplate
from parsers.encoding import mojibake_in
from parsers.generic import _paragraphs
from parsers.meta import parse_datetime
from parsers.registry import parse_article
from parsers.titles import strip_site_name
from parsers.types import Page, ParsedArticle, Rejection
from tests.support.server import LocalServer

WILD = Path(__file__).parents[1] / "fixtures" / "pages" / "wild"


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    settings = FetchSettings(allow_private=["127.0.0.1"], retries=0, backoff=0, host_delay=0)
    with Fetcher(settings) as made:
        yield made


def served(
    server: LocalServer, fetcher: Fetcher, name: str, content_type: str = "text/html"
) -> ParsedArticle | Rejection:
    """The fixture ``name`` served at /name, fetched, and prepared as a pass prepares it."""
    server.route(f"/{name}", (WILD / name).read_bytes(), content_type=content_type)
    fetched = fetcher.get(server.url(f"/{name}"))
    assert isinstance(fetched, Fetched), fetched
    job = Job(
        fetched.url, fetched.body, fetched.content_type, fetched.charset, "auto", {}, "sqlite"
    )
    return prepare(job, read_claims=False).parsed


def read(server: LocalServer, fetcher: Fetcher, name: str) -> ParsedArticle:
    parsed = served(server, fetcher, name)
    assert isinstance(parsed, ParsedArticle), parsed
    return parsed


# -- A: a site parser claims only its own site's pages ---------------------------------------


def test_another_cms_with_the_same_class_names_is_read_by_generic(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "bem-magazine.html")
    assert article.parser == "generic"
    assert article.fallback == ""  # not a guess gone wrong: the Moscow Times parser never tried
    assert article.title == "Seven bakers who rebuilt their ovens after the flood"
    assert article.paragraphs[0].startswith("When the river came over the embankment")
    assert "Two families, one kitchen" in article.paragraphs
    assert article.paragraphs[-1] == (
        "Neither family expects to move out soon: the arrangement, they say, has cut their "
        "costs by a third."
    )
    body = "\n".join(article.paragraphs)
    assert "Photo: the author" not in body and "Most read" not in body


def test_a_page_the_structure_guess_cannot_read_falls_back_to_generic_and_says_so(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "mt-partner-bare-blocks.html")
    assert article.parser == "generic"
    assert article.fallback == "moscowtimes: no-body"
    assert article.title == "Ferry Link to Sakhalin Suspended Over Ice"
    assert article.outlet == "The Moscow Times"
    # The blocks' <br><br> are paragraph breaks.
    assert article.paragraphs == (
        "The only ferry between the mainland port of Vanino and the island of Sakhalin stopped "
        "running on Thursday after thick ice closed the strait, the regional transport ministry "
        "said.",
        "Hundreds of lorries were waiting on both shores, and local officials said shops on the "
        "island had enough food for about two weeks.",
        "Icebreakers were expected to reach the crossing by the weekend, but the ministry gave "
        "no date for the ferry to return.",
    )


# -- B: mojibake is judged on the visible text, in proportion ----------------------------------


def test_garbled_letters_in_a_script_comment_do_not_reject_a_correct_page(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "accents-script-comment.html")
    assert article.title == "À Valmont, le marché couvert rouvre après dix-huit mois de travaux"
    assert article.paragraphs[0].startswith("Les commerçants ont retrouvé samedi matin")
    assert "Des loyers inchangés jusqu’en décembre" in article.paragraphs
    assert not any("Ã" in paragraph for paragraph in article.paragraphs)


def test_a_page_double_encoded_at_its_source_is_still_rejected(
    server: LocalServer, fetcher: Fetcher
) -> None:
    rejection = served(server, fetcher, "double-encoded.html")
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "mojibake"
    assert "Ã©" in rejection.detail


def test_a_stray_garbled_quote_among_correct_accents_is_not_mojibake() -> None:
    prose = "<p>Le marché de Valmont a rouvert après des travaux, à la grande joie des élus.</p>"
    stray = "<p>Une cliente a dit : « câ€™est enfin fini » en sortant de lâ€™entrée.</p>"
    assert mojibake_in(f"<html><body>{prose * 3}{stray}</body></html>") is None
    assert mojibake_in(f"<html><body>{stray}</body></html>") == "â€™"


# -- C: the tree trafilatura gets is clean as its own would be ---------------------------------


def test_comments_inside_paragraphs_do_not_cut_them_short(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "react-comments.html")
    assert article.paragraphs == (
        "Dock workers at the northern container terminal went back to work on Wednesday after "
        "their union accepted a pay rise of six percent over two years, ending a strike that "
        "had left dozens of ships waiting offshore.",
        "The union's regional secretary said members had voted by a large majority to take the "
        "offer, which also guarantees that night shifts will not be extended without notice.",
        "Shipping agents said it would take at least ten days to clear the backlog, and some "
        "importers warned that shop shelves could stay thin until the end of the month.",
        "The terminal's operator, which had called the original demands unaffordable, said the "
        'agreement was "fair to both sides" and thanked customers for their patience.',
    )


def test_one_control_character_does_not_empty_the_page(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "control-character.html")
    assert article.title == "Library reopens with a longer evening timetable"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[2] == (
        "A new children's corner on the ground floor will host story mornings every Saturday, "
        "run by volunteers from the local school."
    )


# -- D: all of the text trafilatura finds, not only its paragraph elements --------------------


def test_text_between_subheadings_and_in_code_is_kept(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "loose-text.html")
    assert article.paragraphs[:3] == (
        "Seal the gaps first",
        "Most heat leaves an older flat through gaps around windows and under doors, so a roll "
        "of foam strip and a draught excluder are worth buying before anything else. Together "
        "they cost less than a week of heating, and they can be fitted in an afternoon without "
        "any tools.",
        "Move the furniture away from the radiators",
    )
    assert article.paragraphs[5].startswith("Turning the thermostat right up does not warm")
    assert "week 1: 182 kWh (thermostat only) week 2: 141 kWh (timer, same thermostat)" in (
        article.paragraphs
    )
    assert article.paragraphs[-1] == (
        "Readers who have tried other tricks can write to us at the address below."
    )


def test_every_run_of_trafilatura_output_text_is_a_paragraph_in_order() -> None:
    body = etree.fromstring(
        '<body><head rend="h1">The headline</head>Loose at the start<head>A heading</head>'
        "after the heading"
        "<p>One <hi>two</hi> three<lb/>four</p>after the paragraph"
        "<list><item>first item</item><item>second <ref>item</ref></item></list>"
        "<quote><p>quoted</p><p>twice</p></quote>"
        "<p>before a blank line<lb/> <lb/>after it</p><code>x = 1</code></body>"
    )
    assert list(_paragraphs(body)) == [
        "Loose at the start",
        "A heading",
        "after the heading",
        "One two three four",
        "after the paragraph",
        "first item",
        "second item",
        "quoted twice",
        "before a blank line",
        "after it",
        "x = 1",
    ]


# -- a whole page without its closing tags is not a cut-off one --------------------------------


def test_a_whole_page_without_closing_tags_is_read(server: LocalServer, fetcher: Fetcher) -> None:
    article = read(server, fetcher, "no-closing-tags.html")
    assert article.title == "Neue Fähre verbindet die beiden Ufer ab Mai"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[-1].endswith("Die Preise bleiben nach Angaben der Gemeinde gleich.")


@pytest.mark.parametrize(
    "cut_after",
    [
        "Platz für zwölf Autos",  # mid-sentence
        "über die Brücke im Süden nehmen.</p>",  # after a tag, deep inside the page's wrapper
        '<div class="footer"',  # inside a tag
    ],
)
def test_a_page_cut_off_on_the_way_is_still_truncated(cut_after: str) -> None:
    body = (WILD / "no-closing-tags.html").read_bytes()
    cut = body[: body.index(cut_after.encode()) + len(cut_after.encode())]
    rejection = Page("https://seebote.example/faehre", cut, "text/html").parse_error()
    assert rejection is not None and rejection.reason == "truncated-page"


# -- titles: the headline, not the site's name ------------------------------------------------


def test_the_site_name_is_cut_from_the_title(server: LocalServer, fetcher: Fetcher) -> None:
    article = read(server, fetcher, "title-with-site-name.html")
    assert article.title == "Flood barrier passes its first winter test"
    assert article.paragraphs[0].startswith("The new flood barrier")  # the <h1> is not body


def test_a_title_that_is_only_the_site_name_is_passed_over(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "title-only-site-name.html")
    assert article.title == "School buses return to the mountain route"
    assert article.outlet == "Valley Radio"


@pytest.mark.parametrize(
    ("title", "names", "headline"),
    [
        ("Ferry runs again | Island Post", {"islandpost"}, "Ferry runs again"),
        ("Ferry runs again – islandpost.example", {"islandpostexample"}, "Ferry runs again"),
        ("Dax slips | DW | 28.04.2023", {"dw"}, "Dax slips"),  # and what follows the name
        ("Island Post | Ferry runs again", {"islandpost"}, "Ferry runs again"),
        ("南海トラフ、一時調査：中日新聞Web", {"中日新聞"}, "南海トラフ、一時調査"),
        # A separator the site's name does not follow is part of the headline.
        ("Talks stall - then resume", {"islandpost"}, "Talks stall - then resume"),
        ("Benefit claims rise - DWP figures", {"dw"}, "Benefit claims rise - DWP figures"),
        ("Island Post", {"islandpost"}, "Island Post"),  # nothing left to cut down to
    ],
)
def test_site_names_are_cut_only_where_the_site_names_itself(
    title: str, names: set[str], headline: str
) -> None:
    assert strip_site_name(title, frozenset(names)) == headline


# -- dates: any JSON-LD object's, any way of writing them, and htmldate when none is stated ----


def test_a_date_on_a_json_ld_object_that_is_not_an_article_is_read(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "title-only-site-name.html")  # a WebPage and its date
    assert article.published == datetime(2024, 2, 2, 7, 15, tzinfo=timezone(timedelta(hours=1)))


def test_a_meta_date_written_day_first_with_dots_is_read(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "date-not-iso.html")
    assert article.published == datetime(2024, 4, 25, 14, 7, tzinfo=UTC)


def test_a_page_dated_only_in_its_byline_gets_that_day_from_htmldate(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "date-in-byline.html")  # no metadata, no date in the URL
    assert article.published == datetime(2024, 3, 3, tzinfo=UTC)
    assert article.title == "Orchard growers report an early blossom"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("25.04.2024 14:07", datetime(2024, 4, 25, 14, 7, tzinfo=UTC)),
        ("April 25, 2024 2:07 PM", datetime(2024, 4, 25, 14, 7, tzinfo=UTC)),
        ("2024/04/25", datetime(2024, 4, 25, tzinfo=UTC)),
        ("3 Minuten", None),  # a number is not a date
        ("Monday", None),
    ],
)
def test_loose_dates_need_a_year(text: str, when: datetime | None) -> None:
    assert parse_datetime(text, loose=True) == when
    assert parse_datetime(text) is None  # the strict reading, for feeds and sitemaps


# -- furniture lines are dropped; news that looks like them is not ------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Related: Ten years of the harbour festival in pictures",
        "[Related: Council approves the new budget]",
        "You may also like",
        "Get the morning briefing in your inbox. Sign up for our newsletters.",
        "Click here to download the app",
        "Follow The Island Post on Facebook, Twitter and Instagram.",
        "(Reporting by A. Writer; Editing by B. Editor)",
        "Staff writers in the capital contributed reporting.",
        "Filed under: Politics |",
        "4 min read",
        "12 Comments",
        "Published 18 November 2019",
        "Updated at 1:23 p.m. EST",
        "2019-11-19T08:57:40+01:00",
        "Source: News agencies",
        # round 2: "read also" in the languages of the outlets read so far, photo credits,
        # newsletter boxes, comment prompts, ad labels, reading times
        "Read more",
        "MORE: Depot hires forty drivers in its biggest recruitment drive",
        "Lesen Sie auch: Der neue Hafen kostet doppelt so viel",
        "Auch interessant",
        "Les også: Fergen går bare to ganger om dagen",
        "À lire aussi : la gare rouvre en mars",
        "(Leggi anche: il ponte riapre a maggio)",
        "Czytaj więcej",
        "Photo: AFP",
        "Foto: NTB",
        "(Quelle: APA/dpa)",
        "Harbour Ledger staff/AFP via Getty Images",
        "Sign up for our emails",
        "Get the latest news from the valley in your inbox.",
        "Thanks for signing up!",
        "There was an error processing your subscription.",
        "Join our commenting forum",
        "Tell us what YOU think...",
        "Story continues below advertisement",
        "Anzeige",
        "Tempo de leitura: 2 minutos",
        "3 Minuten Lesezeit",
        "Our Standards: The Thomson Reuters Trust Principles.",
        "– additional reporting by Sam Reed",
        "Externer Inhalt nicht verfügbar",
        "Embed",
        "|",
        "この記事は会員限定です。",
        "関連キーワード",
        "2025年1月14日 01時28分 (1月14日 01時40分更新)",
        "17:41 JST, October 13, 2024",
        "November 20, 2019 - 11:28 AMT",
        "UPDATED: Tue., Nov. 19, 2019",
        "Write to A. Writer at a.writer@example.com",
        "Tags",
        "DON'T MISS",
        "Popular on Eastbank Gazette",
        "By Jane Doe",
        "Von Lena Hartmann, Frankfurt",
        "par Jean Dupont et Marie Curval",
        # round 3: lone numeric time stamps, day first or ISO, behind a label at most
        "Stand: 14.03.2025, 18:30 Uhr",
        "03.02.2024, 07:45 Uhr",
        "21.06.2025 09:05",
        "기사입력 :[ 2024-05-02 10:15 ]",
        "quinta-feira, 3 de abril de 2025 às 9:40",
        "Schlagwörter:",
        "Etiketler :",
        "Fehler gefunden? Jetzt melden.",
        "Please read our Comment Policy before commenting.",
    ],
)
def test_furniture_is_dropped(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Updated with 12 more deaths reported by the regional governor.",
        "Published in 2019, the report found that 40 villages had no doctor.",
        "Source: 12 soldiers were killed, the army said.",
        "Follow-up talks are planned for Friday.",
        "Related talks in Geneva ended without a deal.",
        "Comments by the minister angered the opposition.",
        "More than 40 homes were flooded overnight, the fire service said.",
        "Photographs taken by residents showed the bridge collapsing.",
        "Sign language interpreters will attend every briefing.",
        "Sign up for a season ticket before May and pay last year's price.",
        "Sign up for the bundle using the same email as your old account",
        "Thanks to the new barrier, the low streets stayed dry.",
        "Anzeige erstattet: Die Polizei ermittelt gegen zwei Männer.",
        "Images: none were released by the army, a spokesman said.",
        "By then the river had risen above the old bridge",
        "Embedded reporters travelled with the convoy",
        "In May 2019 the river rose above the old bridge.",
        "On Nov. 9, 2020 the war ended",
        "Popular anger grew after the vote.",
        "http://example.org/the-ruling-in-full",
        "2024年10月13日、政府は新しい計画を発表した。",
        "At 17:41 on October 13, 2024, the first train left the station.",
        "12",
        "Von der Leyen said the talks would go on",
        "Am 14.03.2025 stimmte der Rat ab.",
        "Stand: Die Verhandlungen laufen weiter",
        "Fehler gefunden: Die Prüfer entdeckten zwei Lücken im Haushalt.",
        "Tags: the new bridge got two, one at each end, for the toll.",
        "12.5",
        "3 de abril de 2025 foi o dia em que a ponte abriu.",
    ],
)
def test_news_that_looks_like_furniture_stays(line: str) -> None:
    assert not is_boilerplate(line)


# -- round 2: what trafilatura reads that no reader sees or wants -------------------------------


def test_hidden_microdata_is_not_read_as_text(server: LocalServer, fetcher: Fetcher) -> None:
    # The page writes its schema.org metadata out as a hidden block: the headline, keywords, an
    # image URL, the publisher's name and the whole body again, run together.
    article = read(server, fetcher, "hidden-microdata.html")
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("The island ferry will sail only twice a day")
    assert article.paragraphs[-1].endswith("when trade usually picks up.")
    text = "\n".join(article.paragraphs)
    assert "HarbourLedgerOnline" not in text
    assert "https://images.harbour-ledger.example" not in text
    assert "ferry,island,transport" not in text
    assert article.published == datetime(2024, 3, 2, 7, 30, tzinfo=UTC)


def test_links_to_other_stories_are_dropped_and_the_article_kept(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "related-links.html")
    assert "HOSEPIPE BAN EXTENDED TO THREE MORE DISTRICTS" not in article.paragraphs
    # Subheadings a table of contents links to (#why) are the article's own; so is a sentence
    # holding a link among its words.
    assert "Why the water is so low" in article.paragraphs
    assert "What the water board will do next" in article.paragraphs
    assert any(
        p.endswith("raised demand at the same time, the water board said.")
        for p in (article.paragraphs)
    )
    assert article.paragraphs[0].startswith("The reservoir that supplies the valley's towns")
    # Links to other stories behind a label ("Drought: <link>") go too
    assert not any(
        "drought order" in p or "Dairy herds" in p or "trout" in p for p in (article.paragraphs)
    )
    assert any(
        p.startswith("Households can help by running washing machines full")
        for p in (article.paragraphs)
    )
    # A list of teasers under the article, each another story's linked headline and standfirst
    assert article.paragraphs[-1].startswith("Engineers will also lower the pressure")
    assert not any("lido" in p for p in article.paragraphs)


def test_furniture_between_paragraphs_is_dropped(server: LocalServer, fetcher: Fetcher) -> None:
    article = read(server, fetcher, "furniture-in-the-body.html")
    assert len(article.paragraphs) == 5
    assert not any("waits at the station stand" in p for p in article.paragraphs)
    assert article.paragraphs[0].startswith("Night buses will run again on the east side")
    assert article.paragraphs[-1].startswith("The authority's chair said the routes")
    text = "\n".join(article.paragraphs)
    # (and a photo's caption, placed outside its <figure>)
    for furniture in ("Article content", "MORE:", "advertisement", "Tell us", "inbox", "Quill"):
        assert furniture not in text


def test_a_japanese_outlets_membership_prompt_and_time_stamp_are_dropped(
    server: LocalServer, fetcher: Fetcher
) -> None:
    article = read(server, fetcher, "members-prompt-ja.html")
    assert article.paragraphs[0].startswith("港の入り口に建設されていた新しい防波堤")
    assert article.paragraphs[-1].startswith("漁業組合の組合長は")
    assert len(article.paragraphs) == 7


# -- round 3: what trafilatura leaves out ------------------------------------------------------


def test_an_article_split_into_body_chunks_is_read_whole(
    server: LocalServer, fetcher: Fetcher
) -> None:
    # The body is two `article__body` blocks with an ad and a newsletter box between them (and a
    # third, empty one for a paywall's notice): trafilatura alone reads the first block and stops.
    article = read(server, fetcher, "body-in-chunks.html")
    assert len(article.paragraphs) == 7
    assert article.paragraphs[0].startswith("Every morning at six the small ferry")
    assert article.paragraphs[3].startswith("The oil is filtered in a shed")
    assert article.paragraphs[-1] == (
        "The council says it will decide in the spring whether the second boat on the route"
        " should be converted in the same way."
    )
    text = "\n".join(article.paragraphs)
    assert "Advertisement" not in text
    assert "every Friday" not in text
    assert "lighthouse keepers" not in text


def test_joining_body_chunks_leaves_the_pages_own_tree_as_it_was() -> None:
    page = Page("http://127.0.0.1/ferry", (WILD / "body-in-chunks.html").read_bytes(), "text/html")
    chunks = page.tree.xpath("//div[contains(@class, 'body__container')]")
    parsed = parse_article(page)
    assert isinstance(parsed, ParsedArticle) and len(parsed.paragraphs) == 7
    # Every other reader of the page (metadata, links) still sees both chunks where they were.
    assert page.tree.xpath("//div[contains(@class, 'body__container')]") == chunks
    assert [len(chunk.findall("p")) for chunk in chunks] == [3, 4]


def test_a_paragraph_of_several_links_to_other_stories_is_dropped(
    server: LocalServer, fetcher: Fetcher
) -> None:
    # Linked headlines with bracketed labels between them, and two links behind a label; a
    # sentence of the article's own that holds two links stays.
    article = read(server, fetcher, "link-lines.html")
    text = "\n".join(article.paragraphs)
    for teaser in ("Bridge repairs delayed", "Library to open", "[VIDEO]", "Elsewhere in"):
        assert teaser not in text
    assert len(article.paragraphs) == 4
    assert article.paragraphs[2] == (
        "The council said a clockmaker from the next county would fit a new gear next week."
        " Until then the tower's bell will not ring the hours, and the bell's own history is"
        " told in a guide to the tower the library sells."
    )
    assert article.paragraphs[-1].startswith("Visitors can still climb the tower")


def test_an_article_streamed_in_next_js_flight_data_is_read(
    server: LocalServer, fetcher: Fetcher
) -> None:
    # The served HTML is a headline and an empty frame; the article's HTML is a text row of the
    # React flight data the page pushes in its scripts, rendered only in the browser.
    article = read(server, fetcher, "streamed-body.html")
    assert article.title == "Salmon get a stair of their own past the mill weir"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("The river authority opened the new fish ladder")
    assert article.paragraphs[-1].endswith("published on the authority's website each month.")
    assert not any("River Desk" in p for p in article.paragraphs)  # the photo's caption
    assert article.published == datetime(2025, 9, 16, 7, 0, tzinfo=UTC)


def test_a_next_js_frame_without_article_text_in_its_data_has_no_body() -> None:
    body = (WILD / "streamed-body.html").read_bytes()
    # The stream's first rows (the frame's, and the text row's header), not the article's HTML
    frame_only = body[: body.rindex(b"<script>self.__next_f.push([1,")] + b"</body></html>"
    assert b"self.__next_f.push([1," in frame_only and b"fish ladder" not in frame_only
    parsed = parse_article(Page("http://127.0.0.1/salmon", frame_only, "text/html"))
    assert isinstance(parsed, Rejection) and parsed.reason == "no-body"
