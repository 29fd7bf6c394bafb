"""Two more outlet page builds for the benchmark, section pages, and realistic page weight.

`briefwatch.demo.pages` renders The Moscow Times structure and a WordPress-like wire outlet. The
benchmark adds:

- ``"amp"``: an AMP-first mobile outlet (``<html ⚡>``, ``amp-img``, ``amp-ad``, one large
  ``<style amp-custom>``, metadata as meta tags and JSON-LD). No site parser claims it, so it
  takes the generic (trafilatura) path;
- ``"nextjs"``: a server-rendered React site whose only metadata is JSON-LD (no Open Graph, no
  ``article:`` meta tags, no ``<time>``), whose markup has hashed class names and whose whole
  article is repeated as JSON in ``__NEXT_DATA__``, as such sites ship it. Generic path too.

Real article pages weigh 50-200 KB, mostly furniture: menus, inline CSS and scripts, footers.
The demo builds are small (5-16 KB), so `weigh` adds a fixed, outlet-specific load of furniture
around their markup; the two builds here carry their own. Nothing here does I/O.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from html import escape

WORDS = (
    "world",
    "politics",
    "business",
    "economy",
    "markets",
    "culture",
    "sport",
    "science",
    "health",
    "travel",
    "opinion",
    "video",
    "podcasts",
    "climate",
    "technology",
    "region",
    "capital",
    "analysis",
    "weather",
    "education",
    "lifestyle",
    "food",
    "books",
    "film",
    "music",
    "archive",
    "photos",
    "newsletters",
    "events",
)


@dataclass(frozen=True)
class PageArticle:
    """What the two bench builds need to render an article page."""

    url: str  # absolute, also the canonical URL
    outlet: str  # the outlet's display name
    title: str
    paragraphs: Sequence[str]  # an item starting with "## " is a subheading
    published: datetime
    modified: datetime | None
    authors: Sequence[str]
    section: str
    dateline: str = ""  # opens the first paragraph as printed


# -- page weight -----------------------------------------------------------------------------


@lru_cache(maxsize=32)
def furniture(outlet: str) -> tuple[str, str]:
    """(head, body) furniture for ``outlet``: inline CSS, a mega menu, scripts, a link footer.

    Seeded by the outlet name, so every page of an outlet carries the same furniture (~45 KB),
    as a real site's template does.
    """
    rng = random.Random(f"furniture:{outlet}")
    rules = "\n".join(
        f".{rng.choice(WORDS)}-{i}{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
        f"color:#{rng.randrange(16**6):06x};font-size:{rng.randint(11, 22)}px}}"
        for i in range(220)
    )
    menu = "\n".join(
        f'<li class="menu-item"><a href="/{rng.choice(WORDS)}/{rng.choice(WORDS)}-{i}">'
        f"{rng.choice(WORDS).title()} {rng.choice(WORDS)}</a></li>"
        for i in range(140)
    )
    config = {
        "ads": [
            {"slot": f"/2211/{outlet}/{rng.choice(WORDS)}", "sizes": [[300, 250], [728, 90]]}
            for _ in range(40)
        ],
        "experiments": {f"exp_{i}": rng.random() < 0.5 for i in range(60)},
    }
    script = ";".join(
        f"window.__t{i}=function(a,b){{return a&&b?a+b*{i}:document.querySelector('.x{i}')}}"
        for i in range(180)
    )
    footer = " ".join(
        f'<a href="/{rng.choice(WORDS)}/{i}">{rng.choice(WORDS).title()}</a>' for i in range(90)
    )
    head = f"<style>{rules}</style>\n<script>window.dataLayer=[];{script}</script>"
    body = f"""<div class="mega-menu" role="navigation"><ul>{menu}</ul></div>
<script type="application/json" id="ad-config">{json.dumps(config)}</script>
<div class="site-map" role="contentinfo">{footer}</div>"""
    return head, body


def weigh(html: bytes, outlet: str) -> bytes:
    """``html`` with the outlet's furniture added to its head and the end of its body."""
    head, body = furniture(outlet)
    text = html.decode()
    text = text.replace("</head>", head + "\n</head>", 1)
    text = text.replace("</body>", body + "\n</body>", 1)
    return text.encode()


# -- AMP build -------------------------------------------------------------------------------


def render_amp(article: PageArticle) -> bytes:
    """An AMP article page."""
    head, furniture_body = furniture(article.outlet)
    css = head.split("<script>")[0].removeprefix("<style>").removesuffix("</style>")
    # AMP allows no custom scripts: the menu and link footer stay, the script blocks go.
    menu_and_footer = re.sub(r"<script.*?</script>", "", furniture_body, flags=re.DOTALL)
    published = article.published.astimezone(UTC).isoformat()
    modified = (article.modified or article.published).astimezone(UTC).isoformat()
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": published,
        "dateModified": modified,
        "author": [{"@type": "Person", "name": a} for a in article.authors],
        "publisher": {"@type": "Organization", "name": article.outlet},
        "mainEntityOfPage": article.url,
    }
    body: list[str] = []
    for index, paragraph in enumerate(article.paragraphs):
        if paragraph.startswith("## "):
            body.append(f"<h2>{escape(paragraph[3:])}</h2>")
            continue
        text = article.dateline + paragraph if index == 0 else paragraph
        body.append(f"<p>{escape(text)}</p>")
        if index in (2, 7):
            body.append(
                '<amp-ad width="300" height="250" type="doubleclick" '
                f'data-slot="/2211/{escape(article.outlet)}/inread{index}"></amp-ad>'
            )
    authors = ", ".join(escape(a) for a in article.authors)
    share = "".join(
        f'<amp-social-share type="{kind}" width="40" height="40"></amp-social-share>'
        for kind in ("twitter", "facebook", "whatsapp", "email")
    )
    return f"""<!doctype html>
<html ⚡ lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(article.title)} | {escape(article.outlet)}</title>
  <link rel="canonical" href="{escape(article.url)}">
  <meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{escape(article.outlet)}">
  <meta property="og:title" content="{escape(article.title)}">
  <meta property="article:published_time" content="{published}">
  <meta property="article:modified_time" content="{modified}">
  <script async src="https://cdn.ampproject.org/v0.js"></script>
  <script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>
  <script type="application/ld+json">{json.dumps(ld)}</script>
  <style amp-boilerplate>body{{visibility:hidden}}</style>
  <style amp-custom>{css}</style>
</head>
<body>
  <header class="amp-header"><a href="/">{escape(article.outlet)}</a>
    <amp-sidebar id="menu" layout="nodisplay" side="left"><nav>{_menu(article.outlet)}</nav>
    </amp-sidebar></header>
  <main>
    <article class="amp-article">
      <h1 class="amp-title">{escape(article.title)}</h1>
      <div class="amp-byline">By {authors} · {escape(article.section.title())}</div>
      <amp-img src="/img/lead.jpg" width="1200" height="675" layout="responsive"
        alt="{escape(article.title)}"></amp-img>
      <div class="amp-body">{"".join(body)}</div>
      <div class="amp-share">{share}</div>
    </article>
    <aside class="amp-related"><h3>More from {escape(article.outlet)}</h3>
      {_related(article.outlet)}</aside>
  </main>
  <footer class="amp-footer">{menu_and_footer}
    © {article.published.year} {escape(article.outlet)}</footer>
</body>
</html>
""".encode()


# -- JSON-LD-only build (server-rendered React) ----------------------------------------------


def render_nextjs(article: PageArticle) -> bytes:
    """A server-rendered React article page with its metadata in JSON-LD only."""
    head, furniture_body = furniture(article.outlet)
    published = article.published.astimezone(UTC).isoformat()
    modified = (article.modified or article.published).astimezone(UTC).isoformat()
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": article.url,
        "datePublished": published,
        "dateModified": modified,
        "author": [{"@type": "Person", "name": a} for a in article.authors],
        "publisher": {"@type": "NewsMediaOrganization", "name": article.outlet},
        "articleSection": article.section,
    }
    body = []
    for index, paragraph in enumerate(article.paragraphs):
        if paragraph.startswith("## "):
            body.append(f'<h2 class="css-1q8sn4">{escape(paragraph[3:])}</h2>')
        else:
            text = article.dateline + paragraph if index == 0 else paragraph
            body.append(f'<p class="css-83cqas e1g2y3">{escape(text)}</p>')
    next_data = {
        "props": {
            "pageProps": {
                "article": {
                    "headline": article.title,
                    "body": [{"type": "paragraph", "text": p} for p in article.paragraphs],
                    "section": article.section,
                    "published": published,
                }
            }
        },
        "page": "/articles/[slug]",
        "buildId": "b3nch",
    }
    authors = ", ".join(escape(a) for a in article.authors)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(article.title)} – {escape(article.outlet)}</title>
  <link rel="canonical" href="{escape(article.url)}">
  <script type="application/ld+json">{json.dumps(ld)}</script>
  {head}
</head>
<body>
  <div id="__next">
    <div class="css-1dbjc4n r-13awgt0">
      <header class="css-7h2q0 eb4k1">{_menu(article.outlet)}</header>
      <main class="css-9pa8cd">
        <div class="css-1l7m9ks"><h1 class="css-4rbku5">{escape(article.title)}</h1>
          <div class="css-j3y8fo"><span class="css-901oao">{authors}</span></div></div>
        <div class="css-k008qs">{"".join(body)}</div>
        <div class="css-1wbh2a"><span>Most read</span>{_related(article.outlet)}</div>
      </main>
      {furniture_body}
    </div>
  </div>
  <script id="__NEXT_DATA__" type="application/json">{json.dumps(next_data)}</script>
</body>
</html>
""".encode()


# -- listings ----------------------------------------------------------------------------------


def render_rss(items: Sequence[tuple[str, str, str, datetime]], site_url: str, title: str) -> bytes:
    """An RSS 2.0 feed of (url, title, summary, date) items, newest first."""
    entries = "\n".join(
        f"""  <item><title>{escape(t)}</title><link>{escape(u)}</link>
    <description>{escape(s)}</description><pubDate>{format_datetime(d)}</pubDate>
    <guid isPermaLink="true">{escape(u)}</guid></item>"""
        for u, t, s, d in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>{escape(title)}</title><link>{escape(site_url)}</link>
  <description>{escape(title)}</description><language>en</language>
{entries}
</channel></rss>
""".encode()


def render_section(links: Sequence[tuple[str, str]], outlet: str, section: str) -> bytes:
    """A section page: story cards linking (url, title) among the site's chrome."""
    cards = "\n".join(
        f"""    <article class="card"><a class="card__image" href="{escape(url)}">
      <img src="/img/{i}.jpg" alt=""></a>
      <h3 class="card__title"><a href="{escape(url)}">{escape(title)}</a></h3>
      <a class="card__section" href="/category/{escape(section)}/">{escape(section)}</a>
    </article>"""
        for i, (url, title) in enumerate(links)
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(section.title())} – {escape(outlet)}</title>
<meta property="og:type" content="website"></head>
<body>
  <header class="site-header"><nav>{_menu(outlet)}</nav></header>
  <main><h1>{escape(section.title())}</h1>
{cards}
    <a class="next" href="/{escape(section)}/page/2/">Older stories</a>
  </main>
  <aside class="sidebar">{_related(outlet)}</aside>
  <footer class="site-footer">© {escape(outlet)}</footer>
</body></html>
"""
    return weigh(page.encode(), outlet)


def _menu(outlet: str) -> str:
    rng = random.Random(f"menu:{outlet}")
    return " ".join(f'<a href="/{w}/">{w.title()}</a>' for w in rng.sample(WORDS, 14))


def _related(outlet: str) -> str:
    rng = random.Random(f"related:{outlet}")
    return "".join(
        f'<a href="/{rng.choice(WORDS)}/story-{rng.randint(1000, 9999)}">'
        f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {rng.choice(WORDS)}</a>"
        for _ in range(8)
    )
