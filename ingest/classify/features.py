"""Text features for classification: Latin-script words and CJK character bigrams.

Japanese has no spaces, so character bigrams stand in for words (契約, 請求, 告示); they
also survive OCR noise better than a dictionary segmenter would.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Long documents say what they are in their first pages; the rest only adds noise and time.
MAX_CHARS = 20_000
_WORD = re.compile(r"[^\W\d_]{2,}")
# Function words carry no document type; left in, they swamp short texts' real evidence.
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "which",
        "will",
        "with",
    ]
)
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def features(text: str) -> dict[str, float]:
    """Binary features of ``text``, scaled to unit length so long texts do not shout."""
    normal = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    found: set[str] = set()
    for word in _WORD.findall(normal):
        if word not in _STOPWORDS and not _CJK_RUN.match(word):
            found.add(word)
    for run in _CJK_RUN.findall(normal):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            found.add(run)
    if not found:
        return {}
    weight = 1 / math.sqrt(len(found))
    return dict.fromkeys(sorted(found), weight)
