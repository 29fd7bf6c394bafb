"""Which encoding a page's bytes are in, decided once, so mojibake never reaches a parser.

The cascade, each step checked before it is believed:

1. a byte-order mark: decisive (WHATWG lets it override the HTTP header);
2. the charset in the HTTP ``Content-Type`` header;
3. the charset the document declares itself (``<meta charset>``, ``http-equiv``, ``<?xml
   encoding?>``), read from its first few kilobytes;
4. UTF-8, when the bytes are valid UTF-8;
5. detection with charset_normalizer.

UTF-7 is never used, wherever it is named (header, document, detection), as browsers refuse it
(the HTML standard forbids it): its "+ADw-script+AD4-" spells markup that no filter sees in the
bytes, so text hidden in it would be read and alerted. The page is read by the next step that
holds, which for its 7-bit bytes is UTF-8, and `Decoding.refused` says what was set aside.

A declared charset is believed only if the body decodes under it without error and the result
does not read as mojibake: a page labelled windows-1252 (or windows-1251) whose bytes are valid
UTF-8 with non-ASCII text in it is UTF-8 that was mislabelled (the reverse accident, legacy text
that happens to be valid UTF-8, is vanishingly rare), and a single-byte decoding that
charset_normalizer's mess detector scores as noise (KOI8-R text read as windows-1251) is set
aside for detection. When no step gives a clean decoding, `sniff_encoding` raises `Undecodable`
and the page is recorded as skipped, rather than stored as garbage.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels mean windows-1252 on the web, whatever the name says.
_WEB_ALIASES = {"ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252"}
# Encodings the HTML standard forbids user agents to support, as Python names them.
REFUSED = frozenset({"utf-7"})
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""  # <meta charset>, http-equiv
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",  # <?xml encoding="..."?>
    re.IGNORECASE,
)
_SNIFF_BYTES = 4096  # where a document's own declaration must be (WHATWG prescans 1024)
_MESS_SAMPLE = 20_000  # characters of decoded text the mess detector reads
_MESS_LIMIT = 0.2  # a right decoding scores ~0.0, a wrong single-byte one 0.4 and up
# UTF-8 read as windows-1252 or latin-1: "Ã©" for "é", "â€™" for "’", "Ð¨" for "Ш". Each pair
# opens with one of `_MOJIBAKE_LEADS`; the pattern starts with that one class (the second
# character is then chosen by a lookbehind on the first) because `re` scans for a leading class
# in C, whereas an alternation of three different openings is tried at every position (~3x slower).
_MOJIBAKE_LEADS = "ÃÂâÐÑ"
_MOJIBAKE = re.compile(
    f"[{_MOJIBAKE_LEADS}](?:"
    "(?<=[ÃÂ])[\u0080-\u00bf]"
    "|(?<=â)€[\u0080-\u00bf\u2018-\u201e\u2020-\u203a™œž]"
    "|(?<=[ÐÑ])[\u0080-\u00bf\u2018-\u203a])"
)


class Undecodable(ValueError):
    """The body decodes cleanly under no encoding briefwatch can find; the message says why."""


@dataclass(frozen=True)
class Decoding:
    """How to read a body: the Python codec, where the answer came from, the BOM to skip."""

    encoding: str  # a Python codec name, e.g. "utf-8", "cp1251"
    source: str  # "bom", "http", "declared", "utf-8", "detected"
    bom: int = 0  # bytes of byte-order mark at the start of the body
    # Encodings named for the page and set aside (`REFUSED`), each with who named it:
    # ("utf-7 (http)",); empty for nearly every page.
    refused: tuple[str, ...] = ()
    errors: str = "strict"  # "replace" only when a refused encoding left nothing else

    def decode(self, body: bytes) -> str:
        return body[self.bom :].decode(self.encoding, self.errors)


def sniff_encoding(body: bytes, declared: str | None = None) -> Decoding:
    """The encoding of ``body``, given the charset its HTTP header named (if any).

    Raises `Undecodable` when no step yields text that decodes without errors and reads as text.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return Decoding(encoding, "bom", len(bom))
    refused: list[str] = []
    found = _cascade(body, declared, refused)
    return replace(found, refused=tuple(refused)) if refused else found


def _cascade(body: bytes, declared: str | None, refused: list[str]) -> Decoding:
    """Steps 2-5 of the cascade; each refused encoding it met is added to ``refused``."""
    for source in ("http", "declared"):
        # The document's own declaration is only looked for when the header's is not believed.
        candidate = declared if source == "http" else _declared_in_document(body)
        encoding = _codec(candidate)
        if encoding in REFUSED:
            refused.append(f"{encoding} ({source})")
            continue
        if encoding is None:
            continue
        if not encoding.startswith("utf") and not body.isascii() and _is_utf8(body):
            return Decoding("utf-8", "utf-8")  # mislabelled: valid UTF-8 beats a legacy label
        if _believable(body, encoding):
            return Decoding(encoding, source)
    if _is_utf8(body):
        return Decoding("utf-8", "utf-8")
    return _detected(body, refused)


def mojibake_in(text: str) -> str | None:
    """A sample of text that reads as UTF-8 decoded as a single-byte charset, if the page's
    visible text is garbled so.

    A page that was double-encoded at its source ("CafÃ©") decodes without error and is caught
    here instead. One odd pair can be a real name, so it takes two to count; and only visible
    text counts, in proportion to the rest of it: a few garbled letters in a script comment, or
    a pasted quote, on a page whose text holds a hundred correct accented letters do not make
    the page unreadable (a double-encoded page has next to no correct ones).
    """
    if not any(lead in text for lead in _MOJIBAKE_LEADS):
        return None  # the common case, and five substring scans cost ~1/20 of the regex
    if len(_MOJIBAKE.findall(text)) < 2:
        return None
    visible = _visible_text(text)  # only here: pages with garbled pairs anywhere are rare
    found = _MOJIBAKE.findall(visible)
    if len(found) < 2:
        return None
    garbled = sum(map(len, found))
    non_ascii = len(visible) - len(visible.encode("ascii", "ignore"))
    if garbled < _GARBLED_SHARE * non_ascii:
        return None
    return " ".join(dict.fromkeys(found))[:40]


def _codec(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label, or ``None`` for a label Python does not know."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


def _declared_in_document(body: bytes) -> bytes | None:
    match = _DECLARED.search(body[:_SNIFF_BYTES])
    return (match.group(1) or match.group(2)) if match else None


def _believable(body: bytes, encoding: str) -> bool:
    """True when ``body`` decodes under ``encoding`` without error and does not read as noise."""
    if encoding == "utf-8" and body.isascii():
        return True  # the usual page: ASCII is UTF-8, no need to decode it all to see that
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    if encoding.startswith("utf") or text.isascii():
        return True
    # A single-byte charset decodes any bytes at all: ask whether the result reads as text.
    from charset_normalizer.md import mess_ratio

    return mess_ratio(_visible(text)[:_MESS_SAMPLE]) < _MESS_LIMIT


def _is_utf8(body: bytes) -> bool:
    if body.isascii():
        return True  # checked in C at memory speed, where decoding builds a copy
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detected(body: bytes, refused: list[str]) -> Decoding:
    # Imported on first use: most pages never get this far.
    import charset_normalizer

    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        raise Undecodable("the bytes read as text under no encoding charset_normalizer knows")
    encoding = _codec(best.encoding) or best.encoding
    if encoding in REFUSED:  # nothing else reads it: as UTF-8, what is not UTF-8 replaced
        refused.append(f"{encoding} (detected)")
        return Decoding("utf-8", "utf-8", errors="replace")
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise Undecodable(f"the bytes do not decode cleanly as {encoding}") from None
    return Decoding(encoding, "detected")


_TAGS = re.compile(r"<[^>]*>")
# What a reader never sees: scripts, styles, templates, comments, then every tag.
_INVISIBLE = re.compile(
    r"<(script|style|template|noscript)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE
)
# The share of a page's visible non-ASCII characters that garbled pairs must make up for the
# page to count as double-encoded. Garbled pages score near 1 (every accented letter became a
# pair); a correct page with a stray garbled name or quote a few hundredths.
_GARBLED_SHARE = 0.5


def _visible(text: str) -> str:
    """Text without tags: markup is ASCII and would dilute the mess detector's score."""
    return _TAGS.sub(" ", text)


def _visible_text(text: str) -> str:
    """The page's text as a reader sees it, roughly: no scripts, styles, comments or tags."""
    return _TAGS.sub(" ", _INVISIBLE.sub(" ", text))
