"""Canonical URLs and body fingerprints: one article per page, one story per text."""

from __future__ import annotations

from briefwatch.stories.dedupe import body_hash, canonical_url, decide, paragraph_hash

BODY = ["First paragraph of the story.", "Second paragraph, with “quotes”.", "Third."]


def test_tracking_parameters_fragments_and_default_ports_are_dropped() -> None:
    url = "HTTPS://WWW.Example.com:443/news/story?utm_source=tw&id=7&fbclid=x&b=2#comments"
    assert canonical_url(url) == "https://www.example.com/news/story?b=2&id=7"


def test_rel_canonical_on_the_same_site_wins() -> None:
    got = canonical_url("https://example.com/amp/story?ref=home", "/news/story")
    assert got == "https://example.com/news/story"


def test_rel_canonical_pointing_at_another_site_is_ignored() -> None:
    # A page may not claim another outlet's identity (and so hide as a duplicate of it).
    got = canonical_url("https://copycat.example/story", "https://www.themoscowtimes.com/x-a1")
    assert got == "https://copycat.example/story"


def test_the_same_text_under_other_markup_or_spacing_hashes_the_same() -> None:
    reflowed = ["First  paragraph of the\nstory.", 'Second paragraph, with "quotes".', "", "Third."]
    assert body_hash(reflowed) == body_hash(BODY)
    assert body_hash([*BODY, "A new fourth paragraph."]) != body_hash(BODY)


def test_decide_tells_new_copy_revision_and_duplicate_apart() -> None:
    seen = {paragraph_hash(p) for p in BODY}
    assert decide(BODY, None, None, set()).verdict == "new-story"
    copy = decide(BODY, None, 7, seen)
    assert copy.verdict == "copy" and copy.paragraphs_to_read == ()
    same = decide(BODY, body_hash(BODY), None, seen)
    assert same.verdict == "duplicate" and same.paragraphs_to_read == ()
    revised = [BODY[0], "An added paragraph.", *BODY[1:]]
    revision = decide(revised, body_hash(BODY), None, seen)
    assert revision.verdict == "revision"
    assert revision.paragraphs_to_read == ("An added paragraph.",)


def test_only_paragraphs_never_seen_are_read() -> None:
    background = "Karabakh declared independence nearly 30 years ago."
    seen = {paragraph_hash(background)}
    briefing = decide(["Fighting raged near Shusha on Tuesday.", background], None, None, seen)
    assert briefing.verdict == "new-story"
    assert briefing.paragraphs_to_read == ("Fighting raged near Shusha on Tuesday.",)
    # A near copy with an extra paragraph reads only that paragraph.
    longer = decide(
        [*BODY, "An extra paragraph from this outlet."], None, 7, {paragraph_hash(p) for p in BODY}
    )
    assert longer.verdict == "copy"
    assert longer.paragraphs_to_read == ("An extra paragraph from this outlet.",)
    # A revision that only removes text reads nothing.
    assert (
        decide(
            BODY[:2], body_hash(BODY), None, {paragraph_hash(p) for p in BODY}
        ).paragraphs_to_read
        == ()
    )
