"""Canonical URLs and body fingerprints: one article per page, one story per text."""

from __future__ import annotations

from briefwatch.dedupe import body_hash, canonical_url, decide, new_paragraphs

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
    assert decide(BODY, None, None, story_with_same_body=False).verdict == "new-story"
    copy = decide(BODY, None, None, story_with_same_body=True)
    assert copy.verdict == "copy" and copy.paragraphs_to_read == ()
    same = decide(BODY, BODY, body_hash(BODY), story_with_same_body=True)
    assert same.verdict == "duplicate" and same.paragraphs_to_read == ()
    revised = [BODY[0], "An added paragraph.", *BODY[1:]]
    revision = decide(revised, BODY, body_hash(BODY), story_with_same_body=False)
    assert revision.verdict == "revision"
    assert revision.paragraphs_to_read == ("An added paragraph.",)


def test_a_revision_that_only_removes_text_reads_nothing() -> None:
    assert new_paragraphs(BODY, BODY[:2]) == []
