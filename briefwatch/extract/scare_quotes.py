"""Scare quotes: a few words a reporter sets in quotation marks inside a clause of their own
("its troops had captured “about half” of the city", 'took "full control" of the town').

They are no speech: the clause reads on through them. The control readers stop a phrase at a
quotation mark (a quotation opens or closes a statement), so such marks are blanked out, each
to one space, before the sentence is read for control claims (positions stay those of the
sentence). A quotation of speech is left alone: it opens a sentence or follows a comma, a colon
or a speech verb ('said "we took the town"'), or runs longer than a few words.
"""

from __future__ import annotations

import re

# an opening mark after a lower-case word, one to three words, a closing mark, then a word or
# the clause's end
_SCARE = re.compile(
    r"(?<=[a-z] )(?P<open>[\"“])(?P<words>[\w’'-]+(?:\s[\w’'-]+){0,2})(?P<close>[\"”])"
    r"(?=\s|[,.;:]|$)"
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|added|adds|wrote|writes|called|calls|declared|"
    r"stated|announced|tweeted|posted|shouted|chanted)\s$"
)


def unquoted(sentence: str) -> str:
    """The sentence with its scare quotes' marks blanked out (same length)."""
    if '"' not in sentence and "“" not in sentence:
        return sentence
    chars = list(sentence)
    for m in _SCARE.finditer(sentence):
        if _SPEECH_BEFORE.search(sentence, max(0, m.start() - 12), m.start()):
            continue  # 'the statement said "Bakhmut is ours"': a quotation
        chars[m.start("open")] = " "
        chars[m.start("close")] = " "
    return "".join(chars)
