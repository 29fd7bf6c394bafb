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

# One word of a person's name in a byline: capitalised, or a particle or "and" between names.
_NAME = r"(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|de|da|van|von|der|den|al|el|le|la|du|di|and|und|et|y|og|och)"

# Whole lines that are outlet furniture, never news. Matched against short lines only.
_BOILERPLATE = (
    re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE),  # "© 2020 AFP", "Copyright AFP"
    re.compile(r"^all rights reserved\b", re.IGNORECASE),
    re.compile(r"^read (?:more|also)\s*[:|-]", re.IGNORECASE),  # "Read more: ..."
    # The same in the languages of the outlets read so far, alone on its line or before a
    # colon: "Read more", "MORE: <headline>", "Lesen Sie auch: ...", "Les også: ...",
    # "Auch interessant", "Czytaj więcej", "(Leggi anche: ...)".
    re.compile(
        r"^\(?(?:read (?:more|also|next)|more|lesen sie (?:auch|mehr)|auch interessant"
        r"|mehr zum thema|(?:das )?könnte sie auch interessieren|ähnliche(?: artikel)?"
        r"|weiterlesen|(?:à )?lire (?:aussi|également)|leggi anche(?: su)?|lea también"
        r"|leia (?:também|mais)|veja também|les også|læs også|läs också|lees ook"
        r"|czytaj (?:więcej|też|także)|čtěte také|přečtěte si také)\s*(?::.*|…|\.\.\.)?$",
        re.IGNORECASE,
    ),
    # Photo credits and their labels: "Photo: AFP", "Foto: NTB", "Bild: ...", "Image: ...",
    # "Quelle: ntv.de", "(Quelle: APA/dpa)", "STR/AFP via Getty Images".
    re.compile(
        r"^\(?(?:photos?|fotos?|bild|image|picture|credit|quelle|фото)\s*(?:\[m\])?\s*:"
        r"\s*[^.!?]{1,80}\)?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^[^.!?]{0,80}(?:/| via )(?:getty images|afp|reuters|ap|dpa|epa|imago|picture alliance"
        r"|shutterstock)$",
        re.IGNORECASE,
    ),
    # Links to other stories: "Related: ...", "[Related: ...]", "See also:", "You may also like".
    re.compile(
        r"^\[?(?:related(?: (?:post|article|story|stories|coverage|reading))?|see (?:more|also)"
        r"|also (?:read|see)|you (?:may|might) also like|most read(?: in [\w ]+)?"
        r"|recommended(?: for you)?)\s*(?::|\.\.\.|…|$)",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:sign up|subscribe)\b.*\bnewsletter", re.IGNORECASE),
    # A newsletter box's other lines: "Sign up for our emails", "Get the latest news in your
    # inbox.", "Thanks for signing up!", "There was an error processing your subscription."
    re.compile(r"^sign up (?:for|to) our (?:[\w-]+ ){0,3}(?:e-?mails?|alerts)[.!]?$", re.I),
    re.compile(r".*\b(?:in|to) your inbox\b", re.IGNORECASE),
    re.compile(r"^(?:thanks|thank you) for (?:signing up|subscribing)\b", re.IGNORECASE),
    re.compile(r".*\berror processing your subscription\b", re.IGNORECASE),
    # Comment prompts: "Join our commenting forum", "Tell us what YOU think..."
    re.compile(
        r"^(?:join (?:our commenting forum|the conversation|the discussion)"
        r"|tell us what you think)\b",
        re.IGNORECASE,
    ),
    # "Get the latest updates in your inbox. Subscribe to our newsletters."
    re.compile(r".*\b(?:subscribe|sign up)\b.*\bnewsletters?\b", re.IGNORECASE),
    re.compile(r".*\bclick(?:ing)? here\b", re.IGNORECASE),  # "Click here to get the app"
    # "Follow us on", "Follow The Daily Post on Facebook, Twitter and Instagram."
    re.compile(r"^follow\b.{0,100}\b(?:twitter|facebook|instagram|youtube|tiktok)\b", re.I),
    re.compile(r"^follow us on\b", re.IGNORECASE),
    # Wire and staff credits: "(Reporting by ...; Editing by ...)", "X contributed reporting."
    re.compile(r"^[(\[–—-]*\s*(?:additional )?(?:reporting|writing|editing) by\b", re.I),
    re.compile(r".*\bcontributed (?:reporting|to this (?:report|story|article))\b", re.I),
    re.compile(r"^(?:filed|posted) (?:under|in)\s*:", re.IGNORECASE),  # "Filed under: Politics"
    # "Reading time: 3 min", "4 min read", "Tempo de leitura: 2 minutos", "3 Minuten Lesezeit"
    re.compile(
        r"^(?:(?:reading time|tempo de leitura|lesezeit|temps de lecture|tiempo de lectura)\s*:"
        r"|\d+\s*(?:min(?:ute)?s?\.? read|minuten? lesezeit|min(?:utos?)? de (?:leitura|lectura)"
        r"|min(?:utes)? de lecture)$)",
        re.IGNORECASE,
    ),
    re.compile(r"^our standards\s*:", re.IGNORECASE),
    # A byline alone on its line: "By Jane Doe", "Von Karim Natour", "von Anna Berg, Frankfurt",
    # "Par Les Echos". The names must be capitalised (case counts inside (?-i:...)), so that
    # "By then the river had risen" stays.
    re.compile(
        rf"^(?:by|von|par|por|door|av|af)\s+(?-i:{_NAME}(?:\s+{_NAME}){{0,5}})"
        r"(?:,\s*(?-i:[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w.'’-]*){0,2}))?$",
        re.IGNORECASE,
    ),  # "Our Standards: The Thomson Reuters ..."
    # A comment box's leftovers: "12 Comments", "Leave a comment", "You must log in to ..."
    re.compile(
        r"^(?:\d*\s*comments?|(?:leave|post|add) a comment\b.*"
        r"|you must (?:be )?log(?:ged)? in to post a comment.*)$",
        re.IGNORECASE,
    ),
    re.compile(r"^like this (?:story|article)\?", re.IGNORECASE),
    re.compile(r"^source\s*:\s*[^\d]{1,60}$", re.IGNORECASE),  # "Source: News agencies"
    # A lone time stamp, "Published 18 November 2019", "Updated at 1:23 p.m. EST": only dates
    # after the word, so that "Updated with 12 more deaths" stays.
    re.compile(
        r"^(?:first |last )?(?:published|updated|posted)\s*(?:on|at)?\s*:?\s*(?:(?:\d[\d:./-]*"
        r"|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*"
        r"|dec\w*|mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|[ap]\.?m\.?|gmt|utc"
        r"|[a-z]{2,4}t|at|on|[,|.])\s*){1,10}$",
        re.IGNORECASE,
    ),
    # The same without the word before it, when it names a month: "November 20, 2019 - 11:28
    # AMT", "Tue., Nov. 19, 2019, 3:15 p.m. EST" (a bare "2019" or "14:40" is not matched here).
    re.compile(
        r"^(?=.*\d)(?=.*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)"
        r"(?:(?:\d[\d:./-]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
        r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|[ap]\.?m\.?|gmt|utc|[a-z]{2,4}t|at|on|[,|.–-])"
        r"\s*){2,12}$",
        re.IGNORECASE,
    ),
    # A lone numeric time stamp, day first or ISO, behind a label at most: "05.08.2024, 20:59
    # Uhr", "Stand: 22.04.2024, 06:00 Uhr", "10.11.2025 17:59", "기사입력 :[ 2018-09-28 17:32 ]"
    # (Korean "article entered"). A date must be whole (day, month, year), so "12.5" stays.
    re.compile(
        r"^(?:(?:stand|aktualisiert|veröffentlicht|erstellt|publicado|publié|mis à jour"
        r"|기사입력|입력|수정|업데이트)\s*:?\s*)?\[?\s*(?:\d{1,2}[./]\d{1,2}[./]\d{4}"
        r"|\d{4}[./-]\d{1,2}[./-]\d{1,2})\.?,?\s*(?:(?:um\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?"
        r"\s*(?:uhr|h)?)?\s*\]?$",
        re.IGNORECASE,
    ),
    # The same written out in Portuguese or Spanish: "sexta-feira, 22 de outubro de 2010 às
    # 20:13", "martes, 3 de mayo de 2022".
    re.compile(
        r"^(?:[a-zçáéíóú]+(?:-feira)?,\s*)?\d{1,2} de [a-zçáéíóú]+ de \d{4}"
        r"(?:,?\s*(?:às|a las|a la)?\s*\d{1,2}[:h]\d{2}(?:\s*h)?)?$",
        re.IGNORECASE,
    ),
    # Contact lines: an e-mail address in a short line ("Write to A. Writer at
    # a.writer@example.com"). Not links: a list of sources or of offers is often only links.
    re.compile(r".*\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    # Labels of a box: "Tags", "Explore further", "DON'T MISS", "Popular on <site>"; a tag
    # list's label in other languages, colon or not ("Schlagwörter:", "Etiketler :").
    re.compile(
        r"^(?:tags|explore further|don'?t miss|most popular|popular(?: on [\w .]{1,30})?)$", re.I
    ),
    re.compile(
        r"^(?:tags|schlagwörter|stichwörter|étiquettes|mots-clés|etichette|etiquetas|tagi"
        r"|etiketler)\s*:$",
        re.IGNORECASE,
    ),
    # A prompt to report a mistake, or to read the comment rules: "Fehler gefunden? Jetzt
    # melden.", "Please read our Comment Policy before commenting."
    re.compile(r"^fehler gefunden\?\s*jetzt melden\.?$", re.IGNORECASE),
    re.compile(r"^please read our comment(?:ing)? (?:policy|guidelines)\b.*$", re.IGNORECASE),
    re.compile(r"^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$"),
    re.compile(r"^editing and translating by\b", re.IGNORECASE),  # Armenpress footer
    # WordPress feeds: "The post <title> appeared first on <site>."
    re.compile(r"^the post .+ appeared first on .+$", re.IGNORECASE),
    # Share bars: "Share this:", "Share this article", "Share on Facebook" ("Share prices" stays).
    re.compile(r"^share(?: this(?: article| story| page)?)?\s*(?::|$|on\b|via\b)", re.IGNORECASE),
    # Cookie banners: "We use cookies ...", "This site uses cookies", "By continuing to use ..."
    re.compile(r"^(?:we|this (?:web)?site) uses? cookies\b", re.IGNORECASE),
    re.compile(r"^by (?:continuing to use|using) (?:this|our) (?:web)?site\b", re.IGNORECASE),
    # An advertisement's label, or the note around it: "Advertisement", "Anzeige", "Article
    # content", "Story continues below advertisement"; an embed's placeholder ("Embed",
    # "Externer Inhalt nicht verfügbar", "Ein Klick für den Datenschutz").
    re.compile(
        r"^(?:advertisement|anzeige|werbung|publicidad|publicité|article content|embed"
        r"|externer inhalt(?: nicht verfügbar)?|ein klick für den datenschutz"
        r"|(?:the )?(?:story|article) continues (?:below|after)(?: (?:this )?advertisement)?)$",
        re.IGNORECASE,
    ),
    # A live blog's lone timestamps: "14:40", "Updated 09:15 GMT".
    re.compile(r"^(?:updated:?\s*)?\d{1,2}:\d{2}(?:\s*(?:am|pm|gmt|utc|msk|cet))?$", re.IGNORECASE),
    re.compile(r"^\W*$"),  # no letter or digit at all: a separator ("|", "***", "¯")
    # Japanese outlets' membership prompts and labels: "この記事は会員限定です", "有料会員になると
    # ...", "会員向け記事が読み放題", "関連キーワード" (related keywords), "おすすめ情報"
    # (recommended), "カテゴリーをフォローする" (follow this category).
    re.compile(r".*(?:会員限定|有料会員|読み放題|会員登録|メールマガジン)"),
    re.compile(r"^(?:関連キーワード|おすすめ情報|カテゴリーをフォローする|完了しました)$"),
    # A lone time stamp written the Japanese way, "2025年1月14日 01時28分 (1月14日 01時40分更新)",
    # or as "17:41 JST, October 13, 2024".
    re.compile(
        r"^\d{4}年\d{1,2}月\d{1,2}日\s*(?:\d{1,2}時\d{1,2}分)?\s*(?:[(（][^)）]{0,30}[)）])?$"
    ),
    re.compile(
        r"^\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?\s*)?(?:[a-z]{2,4}t|utc|gmt)?,?\s*"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}$",
        re.IGNORECASE,
    ),
)
_MAX_BOILERPLATE_LENGTH = 160  # a longer line is prose, whatever it starts with
# All of them as one pattern, tried in one call: every short line of every page meets it.
_ANY_BOILERPLATE = re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern in _BOILERPLATE), re.IGNORECASE
)


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
    return _ANY_BOILERPLATE.match(paragraph) is not None


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop boilerplate lines and strip the dateline from the first paragraph that remains."""
    kept = [paragraph for paragraph in paragraphs if not is_boilerplate(paragraph)]
    if kept:
        kept[0] = strip_dateline(kept[0])
    return [paragraph for paragraph in kept if paragraph]
