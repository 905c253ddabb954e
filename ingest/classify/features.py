"""Text features for classification: Latin-script words and their character n-grams, and
CJK character bigrams and trigrams.

Japanese has no spaces, so character n-grams stand in for words (契約, 請求, 見積書); they
also survive OCR noise better than a dictionary segmenter would. Latin words also give
their 3- to 5-character pieces, marked ``~``, padded at the edges as scikit-learn's
``char_wb`` does (``~<fact``, ``~ttur``): Rechnungsnummer shares them with Rechnung, a
word OCR misread (``lnvoice``) keeps most of them, and a language never trained on shares
them with its neighbours (Factuur, Fattura, Factura, Facture). The title says most about
a document's type, so the words of its opening characters count a second time, marked ``^``.
The same function feeds training (scikit-learn's vectorizer) and prediction, so both see
exactly the same terms.
"""

from __future__ import annotations

import re
import unicodedata

# Long documents say what they are in their first pages; the rest only adds noise and time.
MAX_CHARS = 20_000
# Where the title and letterhead are.
HEAD_CHARS = 160
_WORD = re.compile(r"[^\W\d_]{2,}")
# Function words carry no document type; left in, they swamp short texts' real evidence.
_STOPWORDS = frozenset(
    {
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
    }
)
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005"
_CJK_RUN = re.compile(f"[{_CJK}]+")
# OCR puts spaces between Japanese characters (「請 求 書」): they are not word breaks.
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
# Lengths of the character pieces of Latin words.
_GRAMS = (3, 4, 5)
# A qualified-invoice registration number, as a shape rather than digits.
_REGISTRATION = re.compile(r"(?<![a-z0-9])t\d{13}(?!\d)")
# A blank to fill in or a box to tick, as forms print them: ____, [ ], □, (    ), ......
_BLANK = re.compile(r"_{3,}|\[ ?\]|[□☐]|\( {2,}\)|\.{6,}")


def normal_form(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    return _CJK_GAP.sub("", normal)


def terms(text: str) -> list[str]:
    """The terms of ``text`` with repetitions (their counts are the term frequencies)."""
    normal = normal_form(text)
    found = _terms(normal, "")
    found.extend(_terms(normal[:HEAD_CHARS], "^"))
    found.extend("#registration" for _ in _REGISTRATION.finditer(normal))
    found.extend("#blank" for _ in _BLANK.finditer(normal))
    return found


def _terms(text: str, mark: str) -> list[str]:
    words = [w for w in _WORD.findall(text) if w not in _STOPWORDS and not _CJK_RUN.match(w)]
    found = [mark + word for word in words]
    if not mark:
        found.extend(_pieces(words))
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            found.append(mark + run)
        for n in (2, 3):
            found.extend(mark + run[i : i + n] for i in range(len(run) - n + 1))
    return found


def _pieces(words: list[str]) -> list[str]:
    """The character n-grams of ``words``, each word padded with ``<`` and ``>``."""
    found: list[str] = []
    for word in words:
        padded = f"<{word}>"
        for n in _GRAMS:
            found.extend("~" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return found
