"""The line structure of an agreement written on one long line (a text exported without line breaks).

The splitter finds § headings, lists and paragraphs by lines; on one line it sees a single paragraph and
the agreement loses its sections and its budget. `reflow` puts the breaks back where the text itself
shows them: before a § heading that follows a sentence's end, after the heading's title (where the next
sentence begins), before "Präambel" and "Anlage N", and after each sentence.
"""

from __future__ import annotations

import re

LONG_LINE = 2000  # a line longer than this, holding several § headings, is a whole text on one line
_HEADING_AFTER_SENTENCE = re.compile(r"(?<=[.:;!?)]) (?=§\s*\d+[a-z]?\s+[A-ZÄÖÜ])")
# words that begin a sentence of an agreement's body, not a heading's title
_SENTENCE_START = (r"(?:Der|Die|Das|Den|Dem|Des|Im|In|Zur|Zum|Für|Mit|Bei|Es|Sie|Er|Wir|Diese[rsmn]?|Alle|Ab|Auf|"
                   r"Nach|Zu|Um|Eine?|Unter|Über|Gemäß|Soweit|Sofern|Hierzu|Dabei|Darüber|Wenn|Als|Damit|Zudem|"
                   r"Ferner|Insgesamt|Folgende)")
_TITLE_END = re.compile(r"(?m)^(§\s*\d+[a-z]?\s+(?:\S+\s+){0,10}?\S+) (?=" + _SENTENCE_START + r"\b)")
_PART = re.compile(r" (?=(?:Präambel|Anlage \d+)\b)")
_SENTENCE_END = re.compile(r"(?<=[.!?]) (?=[A-ZÄÖÜ])")


def written_on_one_line(text: str) -> bool:
    longest = max(text.split("\n"), key=len, default="")
    return len(longest) > LONG_LINE and len(_HEADING_AFTER_SENTENCE.findall(longest)) >= 2


def reflow(text: str) -> str:
    """The text with its breaks restored, if it was written on one line; otherwise unchanged."""
    if not written_on_one_line(text):
        return text
    text = _HEADING_AFTER_SENTENCE.sub("\n\n", text)
    text = _TITLE_END.sub(r"\1\n", text)
    text = _PART.sub("\n\n", text)
    return _SENTENCE_END.sub("\n", text)
