"""The form text is indexed and searched in: whitespace that is layout, not language, removed.

Japanese is written without spaces, but OCR (Tesseract's jpn model puts a space between
characters: 「業務 委託」「基本 契約 書」) and PDF text layers (a line break in the middle of
a word) put whitespace into it. Indexed as it comes, 業務委託 would not find 業務 委託 on
either engine (trigrams span the space; OpenSearch's CJK bigrams stop at it). So the index
holds, and every searched word or phrase is turned into, text where

- whitespace touching a CJK character is removed (令和 6 年 → 令和6年, 株式会社 ABC → 株式会社ABC),
- a Latin word hyphenated across a line break is joined (docu-\\nment → document), a
  number OCR split after its thousands separator too (1,233, 760 → 1,233,760), and the
  separators of a number of several thousands groups are commas (5.575,900 → 5,575,900),
- everything else is as ``search.text.normalize`` makes it (NFKC, one space per gap).

Both sides get the same treatment, so a phrase typed with or without spaces finds the
text with or without them. Latin words stay apart: they are matched as words.
"""

from __future__ import annotations

import re
import unicodedata

from search.text import normalize

# Han, kana, CJK symbols and punctuation (、。「」〒…), and the full-width forms NFKC keeps.
CJK_CHARS = (
    r"\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff5f-\uff9f\u3005\u3006"
)
_CJK_GAP = re.compile(rf"(?<=[{CJK_CHARS}])\s+|\s+(?=[{CJK_CHARS}])")
# In stored text, a space between a CJK character and a Latin letter may be the writer's.
_NOT_LATIN = r"[^A-Za-z\uff21-\uff3a\uff41-\uff5a\s]"  # full-width letters are Latin too
_CJK_SPACE = re.compile(
    rf"(?<=[{CJK_CHARS}])[ \t\u3000]+(?={_NOT_LATIN})|(?<={_NOT_LATIN})[ \t\u3000]+(?=[{CJK_CHARS}])"
)
# OCR splits thousands: 金1,233, 760円.
_SPLIT_THOUSANDS = re.compile(r"(?<=\d,) (?=\d{3}(?!\d))")
# Two or more groups of three after the first digits: every mark is a thousands separator,
# whichever OCR read (5.575,900 and 8.210.400 are 5,575,900 and 8,210,400).
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3}){2,}(?![\d.,]*\d)")
# A lower-case letter, a hyphen at the end of a line, a lower-case letter: one word.
_HYPHENATED = re.compile(r"(?<=[a-z])-[ \t]*\r?\n\s*(?=[a-z])")


def index_form(text: str) -> str:
    """``text`` as the index holds it and as a query word or phrase is looked for."""
    joined = _HYPHENATED.sub("", unicodedata.normalize("NFKC", text))
    spaced = _SPLIT_THOUSANDS.sub("", normalize(joined))
    return _CJK_GAP.sub("", _GROUPED.sub(lambda m: m.group().replace(".", ","), spaced))


def join_cjk(text: str) -> str:
    """``text`` with the spaces removed that OCR puts between or beside CJK characters
    (not between one and a Latin letter), and hyphenated Latin words joined.

    Line breaks stay (they are the page's layout). For stored OCR text, which people
    read: unlike ``index_form`` it keeps case and width.
    """
    joined = _HYPHENATED.sub("", text)
    return _CJK_SPACE.sub("", _SPLIT_THOUSANDS.sub("", joined))
