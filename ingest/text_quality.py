"""Whether a page's extracted text is text at all, or the garbage of a font without a Unicode map.

A PDF can draw perfectly legible Japanese with a font whose ToUnicode map is missing or
wrong: its text layer then extracts as control characters, private-use code points, or
a soup of accented Latin and symbols (py3langid calls it "gcf"). Such a page is as
unsearchable as a scan, so it is read by OCR, with the reason recorded. The tests are on
the characters alone (no dictionary), so they work for any language:

- characters that no writer types: controls, private use, unassigned, U+FFFD;
- letters mostly outside the scripts of documents Bunko receives (Latin, CJK, Greek,
  Cyrillic…), i.e. accented-Latin and symbol soup with no plain words in it;
- Latin "words" with hardly a vowel, as glyph ids mapped onto letters read.
"""

from __future__ import annotations

import re
import unicodedata

MIN_JUDGED_CHARS = 12
"""Less text than this is too little to judge (the image rule in ``extract.pdf`` decides)."""
MAX_BAD_SHARE = 0.10
MAX_ODD_LETTER_SHARE = 0.30
MIN_VOWEL_SHARE = 0.15

_BAD_CATEGORIES = {"Cc", "Co", "Cn", "Cs"}
# Letters of writing that documents are in: ASCII, Japanese and Chinese, kana, Greek,
# Cyrillic, Hangul, Arabic, Hebrew, Thai, Devanagari.
_COMMON_LETTER = re.compile(
    r"[A-Za-z\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f"
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff21-\uff5a\uff66-\uff9f]"
)
_LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
_VOWELS = set("aeiouyAEIOUY")


def unusable_reason(text: str) -> str | None:
    """Why ``text`` (one page, as extracted) is not usable text, or None when it reads as text."""
    chars = [c for c in text if not c.isspace()]
    if len(chars) < MIN_JUDGED_CHARS:
        return None
    bad = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in _BAD_CATEGORIES)
    if bad / len(chars) > MAX_BAD_SHARE:
        return (
            f"{bad / len(chars):.0%} of its characters are control, private-use or "
            "replacement characters (a font without a usable Unicode map)"
        )
    letters = [c for c in chars if c.isalpha()]
    if letters:
        odd = sum(1 for c in letters if not _COMMON_LETTER.match(c))
        if odd / len(letters) > MAX_ODD_LETTER_SHARE:
            return f"{odd / len(letters):.0%} of its letters are in no script documents use"
    words = _LATIN_WORD.findall(text)
    latin = "".join(words)
    if len(words) >= 5 and sum(c in _VOWELS for c in latin) / len(latin) < MIN_VOWEL_SHARE:
        return "its Latin words have almost no vowels (glyph codes, not words)"
    return None
