"""The demo newsroom's articles rendered as real pages, so the demo runs the real parsers.

Two outlet builds:

- ``"moscowtimes"``: The Moscow Times article structure (``parsers/moscowtimes.py`` reads it),
  with the furniture a real page carries around the body: header and navigation, a byline showing
  the modified time, a featured image with caption and credits, an ad banner among the content
  blocks, a related-article box, the "most read" sidebar, the "more stories" cluster, PHP-escaped
  JSON-LD and meta tags. URLs follow the site's ``/{YYYY}/{MM}/{DD}/{slug}-a{id}`` pattern.
- ``"wire"``: another outlet carrying wire copy, built like a WordPress theme (read by the
  generic parser): a dateline opening the first paragraph, a "Read more" line, a copyright
  footer, share buttons, a newsletter box and a cookie banner.

Nothing here does I/O: each function returns the bytes a server should answer with.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from typing import Any, Literal

OutletBuild = Literal["moscowtimes", "wire"]

# Moscow has kept UTC+3 all year since 2014: a fixed offset needs no tz database.
MOSCOW = timezone(timedelta(hours=3), "MSK")
MT_NAME = "The Moscow Times"
WIRE_NAME = "Southern Wire"
_ARTICLE_ID = re.compile(r"-a(\d+)$")
# Where the furniture goes among the body paragraphs (indexes of the paragraph it precedes).
_RELATED_BEFORE = 3
_BANNER_BEFORE = 6


@dataclass(frozen=True)
class DemoArticle:
    """One article of the demo newsroom, as its outlet publishes it."""

    slug: str
    outlet_build: OutletBuild
    title: str
    paragraphs: Sequence[str]  # an item starting with "## " is a subheading
    published: datetime  # timezone-aware
    modified: datetime | None = None
    subtitle: str = ""
    authors: Sequence[str] = ()
    tags: Sequence[str] = ()
    related: Sequence[tuple[str, str]] = ()  # (url, title); a path is on the same site
    image_caption: str = ""
    image_credit: str = ""
    # Wire build only: opens the first paragraph as printed, e.g. "YEREVAN (AFP) - ".
    dateline: str = ""


def article_path(article: DemoArticle) -> str:
    """The article's path on its outlet's site."""
    if article.outlet_build == "moscowtimes":
        day = article.published.astimezone(MOSCOW)  # the URL date is the day in Moscow
        slug = article.slug
        if not _ARTICLE_ID.search(slug):
            slug = f"{slug}-a{zlib.crc32(slug.encode()) % 90000 + 10000}"
        return f"/{day:%Y/%m/%d}/{slug}"
    day = article.published.astimezone(UTC)
    return f"/{day:%Y/%m/%d}/{article.slug}/"


def article_url(article: DemoArticle, base_url: str) -> str:
    """The article's absolute URL under ``base_url``."""
    return _absolute(article_path(article), base_url)


def render_article(article: DemoArticle, base_url: str) -> bytes:
    """The article page in its outlet's build, as UTF-8 HTML."""
    if article.outlet_build == "moscowtimes":
        return _moscowtimes_page(article, base_url).encode()
    if article.outlet_build == "wire":
        return _wire_page(article, base_url).encode()
    raise ValueError(f"unknown outlet build {article.outlet_build!r}")


def render_feed(items: Sequence[DemoArticle], base_url: str, title: str) -> bytes:
    """An RSS 2.0 feed of ``items`` as The Moscow Times publishes it (``guid`` = link)."""
    entries = []
    for item in items:
        link = escape(article_url(item, base_url))
        excerpt = next((p for p in item.paragraphs if not p.startswith("## ")), "")
        pub_date = format_datetime(item.published.astimezone(MOSCOW))
        entries.append(
            f"""    <item>
      <title>{escape(item.title)}</title>
      <link>{link}</link>
      <description>{escape(excerpt)}</description>
      <pubDate>{pub_date}</pubDate>
      <guid>{link}</guid>
    </item>"""
        )
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{escape(title)}</title>
    <link>{escape(_absolute("/", base_url))}</link>
    <description>{escape(title)}</description>
    <language>en</language>
    <ttl>600</ttl>
    <atom:link href="{escape(_absolute("/rss/news", base_url))}" rel="self"
      type="application/rss+xml"/>
{chr(10).join(entries)}
  </channel>
</rss>
"""
    return feed.encode()


def render_index(links: Sequence[tuple[str, str]], base_url: str) -> bytes:
    """A section page listing ``links`` ((url, title); a path is on this site) among site chrome.

    Each story is linked twice (picture and headline) and carries a tag link, as section pages do;
    the navigation, sidebar and footer link elsewhere on the site.
    """
    root = _root(base_url)
    cards = "\n".join(
        f"""      <div class="article-excerpt-default">
        <a class="article-excerpt-default__link" href="{escape(_absolute(url, base_url))}">
          <img class="article-excerpt-default__image" src="{root}img/{i}.jpg" alt="">
        </a>
        <h3 class="article-excerpt-default__headline">
          <a href="{escape(_absolute(url, base_url))}">{escape(title)}</a>
        </h3>
        <a class="article-excerpt-default__tag" href="{root}tag/karabakh">Karabakh</a>
      </div>"""
        for i, (url, title) in enumerate(links)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>News - {MT_NAME}</title>
  <meta property="og:type" content="website">
  <meta property="og:site_name" content="{MT_NAME}">
  <link rel="canonical" href="{escape(_absolute("/news", base_url))}">
</head>
<body>
{_site_header(root)}
  <main class="container">
    <h1 class="section-title">News</h1>
    <section class="section-news">
{cards}
    </section>
    <a class="load-more" href="{root}news?page=2">More news</a>
  </main>
{_sidebar(root)}
{_site_footer(root)}
</body>
</html>
""".encode()


# -- The Moscow Times build ------------------------------------------------------------------


def _moscowtimes_page(article: DemoArticle, base_url: str) -> str:
    root = _root(base_url)
    url = article_url(article, base_url)
    article_id = _ARTICLE_ID.search(article_path(article))
    number = article_id.group(1) if article_id else "0"
    published = article.published.astimezone(MOSCOW)
    modified = (article.modified or article.published).astimezone(MOSCOW)
    authors = ", ".join(
        f'<a class="byline__author__name" href="{root}author/{_slugify(name)}">{escape(name)}</a>'
        for name in article.authors
    )
    tags = "".join(
        f'<a class="article__tags__tag" href="{root}tag/{_slugify(tag)}">{escape(tag)}</a>'
        for tag in article.tags
    )
    subtitle = f"<h2>{escape(article.subtitle)}</h2>" if article.subtitle else ""
    description = next((p for p in article.paragraphs if not p.startswith("## ")), "")
    meta_tags = (
        f'  <meta property="article:tag" content="{escape(", ".join(article.tags))}">'
        if article.tags
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(article.title)} - {MT_NAME}</title>
  <meta name="description" content="{escape(description)}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{MT_NAME}">
  <meta property="og:title" content="{escape(article.title)}">
  <meta property="og:url" content="{escape(url)}">
  <meta property="article:published_time" content="{published.isoformat()}">
  <meta property="article:modified_time" content="{modified.isoformat()}">
  <meta property="article:section" content="news">
{meta_tags}
  <link rel="canonical" href="{escape(url)}">
  <link rel="alternate" type="application/rss+xml" href="{root}rss/news">
  {_json_ld_script(_news_article_ld(article, url, published, modified))}
  {_json_ld_script(_breadcrumbs_ld(article, base_url, url))}
</head>
<body class="article-page">
{_site_header(root)}
  <div class="article-container" id="article-id-{number}">
    <article class="article article--news">
      <header class="article__header">
        <h1><a href="{escape(url)}">{escape(article.title)}</a></h1>
        {subtitle}
      </header>
      <div class="article__byline byline">
        <div class="byline__details">
          <div class="byline__author">{authors}</div>
          <time class="byline__datetime timeago" datetime="{modified.isoformat()}">
            {modified:%b}. {modified.day}, {modified.year}</time>
        </div>
        <div class="social"><a class="social__link" href="#share">Share</a></div>
      </div>
{_featured_image(article, root)}
      <div class="article__content-container">
        <div class="article__content">
{_content_blocks(article, base_url)}
        </div>
      </div>
      <div class="article__tags">{tags}</div>
    </article>
  </div>
{_sidebar(root)}
  <section class="cluster">
    <h2 class="cluster__title">More stories</h2>
    <a href="{root}2020/10/01/ceasefire-talks-stall-a70000">Ceasefire talks stall</a>
  </section>
  <div id="load-next-article" data-url="{root}next?after={number}">Loading the next article</div>
{_site_footer(root)}
</body>
</html>
"""


def _featured_image(article: DemoArticle, root: str) -> str:
    caption = (
        f'<span class="article__featured-image__caption">{escape(article.image_caption)}</span>'
        if article.image_caption
        else ""
    )
    credits = (
        f'<span class="article__featured-image__credits">{escape(article.image_credit)}</span>'
        if article.image_credit
        else ""
    )
    return f"""      <figure class="article__featured-image">
        <img src="{root}img/featured.jpg" alt="{escape(article.image_caption)}">
        <figcaption>{caption} {credits}</figcaption>
      </figure>"""


def _content_blocks(article: DemoArticle, base_url: str) -> str:
    """The body as The Moscow Times cuts it: html blocks split by headers, boxes and ads."""
    blocks: list[str] = []
    open_paragraphs: list[str] = []

    def close_html_block() -> None:
        if open_paragraphs:
            inner = "".join(f"<p>{escape(p)}</p>" for p in open_paragraphs)
            blocks.append(f'<div class="article__block article__block--html">{inner}</div>')
            open_paragraphs.clear()

    for index, paragraph in enumerate(article.paragraphs):
        if index == _RELATED_BEFORE and article.related:
            close_html_block()
            blocks.extend(_related_block(url, title, base_url) for url, title in article.related)
        if index == _BANNER_BEFORE:
            close_html_block()
            blocks.append(
                '<div class="banner banner--article" data-position="inread">'
                '<div class="banner__label">Advertisement</div></div>'
            )
        if paragraph.startswith("## "):
            close_html_block()
            blocks.append(
                '<div class="article__block article__block--header">'
                f"<h2>{escape(paragraph.removeprefix('## '))}</h2></div>"
            )
        else:
            open_paragraphs.append(paragraph)
    close_html_block()
    return "\n".join(f"          {block}" for block in blocks)


def _related_block(url: str, title: str, base_url: str) -> str:
    return (
        '<div class="article__block article__block--article">'
        '<aside class="article__related-article">'
        f'<a class="related-article__inner" href="{escape(_absolute(url, base_url))}">'
        '<span class="related-article__label">Read more</span>'
        f'<h3 class="related-article__title">{escape(title)}</h3></a></aside></div>'
    )


def _news_article_ld(
    article: DemoArticle, url: str, published: datetime, modified: datetime
) -> dict[str, Any]:
    authors: list[dict[str, str]] = [
        {"@type": "Organization" if name == MT_NAME else "Person", "name": name}
        for name in article.authors
    ]
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "author": authors or {"@type": "Organization", "name": MT_NAME},
        "keywords": ", ".join(article.tags),
        "articleSection": "news",
        "publisher": {"@type": "Organization", "name": MT_NAME},
    }


def _breadcrumbs_ld(article: DemoArticle, base_url: str, url: str) -> dict[str, Any]:
    crumbs = [("Home", _absolute("/", base_url)), ("News", _absolute("/news", base_url))]
    crumbs.append((article.title, url))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": link}
            for i, (name, link) in enumerate(crumbs, start=1)
        ],
    }


def _json_ld_script(data: dict[str, Any]) -> str:
    # As PHP's json_encode writes it: "\/" for every slash, "\uXXXX" for every non-ASCII letter.
    encoded = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
    return f'<script type="application/ld+json">{encoded}</script>'


def _site_header(root: str) -> str:
    return f"""  <header class="header">
    <a class="header__logo" href="{root}">The Moscow Times</a>
    <nav class="nav">
      <a href="{root}news">News</a> <a href="{root}opinion">Opinion</a>
      <a href="{root}business">Business</a>
      <a href="{root}all-about/nagorno-karabakh">Nagorno-Karabakh</a>
    </nav>
  </header>"""


def _sidebar(root: str) -> str:
    return f"""  <aside class="sidebar">
    <section class="sidebar__section">
      <h3>Most read</h3>
      <a href="{root}2020/11/01/metro-line-opens-a70500">Moscow opens another metro line</a>
      <a href="{root}2020/11/02/snow-comes-early-a70510">Snow comes early to the capital</a>
    </section>
  </aside>"""


def _site_footer(root: str) -> str:
    return f"""  <footer class="footer">
    <a href="{root}about">About us</a> <a href="{root}privacy">Privacy</a>
    <a href="mailto:general@example.org">Contact</a>
  </footer>"""


# -- The wire build --------------------------------------------------------------------------


def _wire_page(article: DemoArticle, base_url: str) -> str:
    root = _root(base_url)
    url = article_url(article, base_url)
    published = article.published.astimezone(UTC)
    modified = (article.modified or article.published).astimezone(UTC)
    body: list[str] = []
    for index, paragraph in enumerate(article.paragraphs):
        if paragraph.startswith("## "):
            body.append(f"<h3>{escape(paragraph.removeprefix('## '))}</h3>")
            continue
        text = article.dateline + paragraph if index == 0 else paragraph
        body.append(f"<p>{escape(text)}</p>")
        if index == 1:
            body.append(_newsletter_box(root))
    related = "".join(
        f'<p>Read more: <a href="{escape(_absolute(link, base_url))}">{escape(title)}</a></p>'
        for link, title in article.related
    )
    authors = ", ".join(escape(name) for name in article.authors) or WIRE_NAME
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": url, "url": url, "name": article.title},
            {
                "@type": "NewsArticle",
                "headline": article.title,
                "datePublished": published.isoformat(),
                "dateModified": modified.isoformat(),
                "author": [{"@type": "Person", "name": name} for name in article.authors],
                "publisher": {"@type": "Organization", "name": WIRE_NAME},
                "mainEntityOfPage": {"@id": url},
            },
        ],
    }
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
  <meta charset="UTF-8">
  <title>{escape(article.title)} | {WIRE_NAME}</title>
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{WIRE_NAME}">
  <meta property="og:title" content="{escape(article.title)}">
  <meta property="article:published_time" content="{published.isoformat()}">
  <meta property="article:modified_time" content="{modified.isoformat()}">
  <link rel="canonical" href="{escape(url)}">
  <link rel="stylesheet" href="{root}wp-content/themes/wire/style.css">
  <script type="application/ld+json">{json.dumps(graph)}</script>
</head>
<body class="post-template-default single single-post">
  <div id="cookie-notice" class="cookie-banner">We use cookies to improve your experience.
    <button>Accept</button></div>
  <header id="masthead" class="site-header">
    <p class="site-title"><a href="{root}">{WIRE_NAME}</a></p>
    <nav class="main-navigation"><a href="{root}category/world/">World</a>
      <a href="{root}category/caucasus/">Caucasus</a></nav>
  </header>
  <main id="primary" class="site-main">
    <article class="post type-post status-publish format-standard">
      <header class="entry-header">
        <h1 class="entry-title">{escape(article.title)}</h1>
        <div class="entry-meta">
          <span class="byline">By <span class="author vcard">{authors}</span></span>
          <time class="entry-date published" datetime="{published.isoformat()}">
            {published:%B} {published.day}, {published.year}</time>
        </div>
      </header>
      <div class="share-buttons">
        <a href="https://twitter.com/intent/tweet?url={escape(url)}">Share on Twitter</a>
        <a href="https://www.facebook.com/sharer.php?u={escape(url)}">Share on Facebook</a>
      </div>
      <div class="entry-content">
        {"".join(body)}
        {related}
        <p class="wire-copyright">© {published:%Y} AFP</p>
      </div>
      <footer class="entry-footer"><span class="cat-links">Posted in
        <a href="{root}category/caucasus/" rel="category tag">Caucasus</a></span></footer>
    </article>
  </main>
  <footer id="colophon" class="site-footer"><p>© {published:%Y} {WIRE_NAME}. All rights
    reserved.</p></footer>
</body>
</html>
"""


def _newsletter_box(root: str) -> str:
    return (
        '<div class="newsletter-signup"><p>Sign up for our daily Caucasus newsletter</p>'
        f'<form action="{root}subscribe"><input type="email" name="email">'
        "<button>Sign up</button>"
        "</form></div>"
    )


# -- helpers ---------------------------------------------------------------------------------


def _absolute(url: str, base_url: str) -> str:
    """``url`` as is when absolute; a path is taken as under ``base_url``."""
    if "://" in url:
        return url
    return base_url.rstrip("/") + "/" + url.lstrip("/")


def _root(base_url: str) -> str:
    """The site's root for links in the page: outlets are served under a path in the demo."""
    return escape(base_url.rstrip("/") + "/")


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
