"""Text features for classification: Latin-script words and their character n-grams, and
CJK character bigrams and trigrams.

Japanese has no spaces, so character n-grams stand in for words (契約, 請求, 見積書); they
also survive OCR noise better than a dictionary segmenter would. Latin words also give
their 3- to 5-character pieces, marked ``~``, padded at the edges as scikit-learn's
``char_wb`` does (``~<fact``, ``~ttur``): Rechnungsnummer shares them with Rechnung, a
word OCR misread (``lnvoice``) keeps most of them, and a language never trained on shares
them with its neighbours (Factuur, Fattura, Factura, Facture). The title says most about
a document's type, so the words of its opening characters count a second time, marked ``^``.
What needs no vocabulary — amounts beside a currency, rates, IBANs, VAT IDs, dates, article,
case and issue numbers, defined parties, blanks — is a shape, ``#name``, the
same term in every language (what a language never trained on still shows).
Words that name a document's kind in many languages (Rechnung, factuur, 請求書, 세금계산서;
Kontoauszug, relevé; Amtsblatt, 官報…) are also a concept, ``@name`` (``data/labels.json``,
a dictionary's entries; a compound counts for the entry it ends with, Mietvertrag for Vertrag): a language the generator never wrote still names its invoices,
and the model has learnt what ``@invoice`` says from the languages it has.
The same function feeds training (scikit-learn's vectorizer) and prediction, so both see
exactly the same terms.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib.resources import files

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
# Scripts written without spaces between words (Hangul words take particles: 계약서를).
_SPACELESS = re.compile(f"[{_CJK}\uac00-\ud7af]+")
# OCR puts spaces between Japanese characters (「請 求 書」): they are not word breaks.
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
# Lengths of the character pieces of Latin words.
_GRAMS = (3, 4, 5)
_NUM = r"\d{1,3}(?:[ .,'\u00a0]\d{3}){1,4}(?:[.,]\d{1,2})?|\d{1,12}[.,]\d{2}|\d{1,12}"
_CURRENCY = r"[€$¥£₩元円]|eur|usd|jpy|chf|gbp|pln|zł|kč|czk|sek|kr|r\$|rmb|cny|krw|원"
# Evidence that needs no vocabulary, as a shape (the same in every language): each match
# is a term ``#name``. A qualified-invoice registration number; a blank to fill in or a box
# to tick, as forms print them (____, [ ], □, (    ), ......); an amount beside its
# currency; a rate; an IBAN; an EU VAT ID; a date; an article or section number (第3条,
# § 3, Art. 3, 3.1); a defined party in quotes and brackets ((以下「甲」という。),
# (the "Supplier"), („Auftraggeber“)); a case number (1 BvR 123/20, 令和6年(行ウ)第12号,
# No. 21-1234); an issue or volume number (第1234号, Vol. 88, Nr. 12). Rows of bare
# figures are no shape: statistics tables and invoices both print them, and as a shape
# they typed a statistics list as an invoice.
_SHAPES = {
    "registration": re.compile(r"(?<![a-z0-9])t\d{13}(?!\d)"),
    "blank": re.compile(r"_{3,}|\[ ?\]|[□☐]|\( {2,}\)|\.{6,}"),
    "amount": re.compile(
        f"(?:(?:{_CURRENCY})\\s?-?(?:{_NUM}))|(?:(?<![\\d.,'])(?:{_NUM})-?\\s?(?:{_CURRENCY})(?![a-z]))"
    ),
    "rate": re.compile(r"(?<![\d.,])\d{1,2}(?:[.,]\d{1,2})?\s?%"),
    "iban": re.compile(r"(?<![a-z0-9])[a-z]{2}\d{2} ?[a-z0-9]{4}(?: ?\d{4}){2,6}"),
    "vatid": re.compile(
        r"(?<![a-z0-9])(?:atu|be0?|cz|de|dk|es[a-z0-9]|fi|fr[a-z0-9]{2}|ie|it|lu|nl|pl|pt|se)"
        r" ?\d{8,12}(?:b\d{2})?(?!\d)"
    ),
    "date": re.compile(
        r"(?<!\d)(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?!\d|\.\d)"
        r"|\d{1,4}年\d{1,2}月\d{1,2}日|\d{4}년|(?<![^\W\d])[^\W\d]{3,9}\.? \d{1,2},? \d{4}(?!\d)"
    ),
    "article": re.compile(
        r"第\d+条|제 ?\d+ ?조|§ ?\d+|(?<![a-z])(?:art|artikel|article|articolo|artículo|artigo|artykuł|"
        r"článek|section|sec)\.? ?\d+|(?<![\d.])\d{1,2}\.\d{1,2}(?:\.\d{1,2})? (?=[^\W\d])"
    ),
    "party": re.compile(
        r"[(（][^()（）]{0,40}[\"“„«「『‚'][^\"”“»」』‘'()]{1,30}[\"”“»」』‘'][^()（）]{0,12}[)）]"
    ),
    "case": re.compile(
        r"[(（][^()（）\d]{1,3}[)）]第?\d+号|(?<![\d/])\d{1,4} ?[a-z]{1,4} \d{1,5}/\d{2,4}(?!\d)"
        r"|(?<![a-z])(?:no|n°|nº|rg|az|aktenzeichen|case)\.? ?:? ?\d{1,4}[-/]\d{2,6}(?![\d/])"
    ),
    "issue": re.compile(
        r"第\d+号|제 ?\d+ ?호|(?<![a-z])(?:vol|nr|no|n°|nº|nummer|numero|número|issue)\.? ?\d{1,4}(?![\d/.-])"
    ),
}
# Counts at which a shape also gives ``#name>=n`` (many dates, many amounts…).
_MANY = (3, 8)


@dataclass(frozen=True)
class _LabelTables:
    spaced: re.Pattern[str]
    """The spaced-script entries, longest first (six letters or more match the start of a
    word, shorter ones a whole word)."""
    concept_of: dict[str, str]
    spaceless: dict[str, str]
    """The concept of each entry in a script without spaces (matched anywhere, by look-up:
    a pattern of hundreds of alternatives tried at every character of a Japanese page is
    too slow)."""
    compound_heads: frozenset[str]
    """A compound's last part: a single spaced-script entry of ``_MIN_HEAD`` letters or more."""
    longest_head: int
    longest_spaceless: int


_MIN_HEAD = 6


@functools.cache
def _label_tables() -> _LabelTables:
    """The entries of ``data/labels.json``, compiled on first use, not on import (a fifth of
    a second: every process that imports ``ingest`` would pay it, the web server included)."""
    raw = json.loads(files(__package__).joinpath("data/labels.json").read_text("utf-8"))
    concept_of = {
        normal_form(entry): concept
        for concept, entries in raw.items()
        if not concept.startswith("_")
        for entry in entries
    }
    spaceless = {e: c for e, c in concept_of.items() if _SPACELESS.fullmatch(e)}
    parts = []
    for entry in sorted(set(concept_of) - set(spaceless), key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in entry.split(" "))
        parts.append(body if len(entry) >= 6 else rf"{body}(?![^\W\d_])")
    heads = frozenset(
        e for e in concept_of if len(e) >= _MIN_HEAD and e not in spaceless and " " not in e
    )
    return _LabelTables(
        spaced=re.compile(rf"(?<![^\W\d_])(?:{'|'.join(parts)})"),
        concept_of=concept_of,
        spaceless=spaceless,
        compound_heads=heads,
        longest_head=max(map(len, heads)),
        longest_spaceless=max(map(len, spaceless)),
    )


def labels(normal: str) -> list[str]:
    """The concepts named in text in ``normal_form``, ``@name`` once per mention."""
    return [concept for _, concept in _mentions(normal)]


def _mentions(normal: str) -> list[tuple[int, str]]:
    """Where each concept is named in ``normal`` (its start) and ``@name``."""
    tables = _label_tables()
    found = [
        (m.start(), f"@{tables.concept_of[' '.join(m[0].split())]}")
        for m in tables.spaced.finditer(normal)
    ]
    found.extend(_heads(normal, tables))
    for run in _SPACELESS.finditer(normal):
        text, start = run[0], 0
        while start < len(text):
            for end in range(min(len(text), start + tables.longest_spaceless), start, -1):
                concept = tables.spaceless.get(text[start:end])
                if concept:
                    found.append((run.start() + start, f"@{concept}"))
                    start = end
                    break
            else:
                start += 1
    return found


def _heads(normal: str, tables: _LabelTables) -> list[tuple[int, str]]:
    """Compounds whose last part is an entry, by look-up (German, Dutch and Scandinavian
    put the head last: Mietvertrag, Sitzungsprotokoll, jaarverslag, hyresavtal), the entry
    with or without an inflected ending (Mietvertrages); a word that is the entry itself,
    or starts with it, is the pattern's."""
    found = []
    for word in _LETTERS.finditer(normal):
        text = word[0]
        for ending in _ENDINGS:
            if ending and not text.endswith(ending):
                continue
            stem = text[: len(text) - len(ending)]
            first = max(1, len(stem) - tables.longest_head)
            tails = (stem[i:] for i in range(first, len(stem) - _MIN_HEAD + 1))
            head = next((tail for tail in tails if tail in tables.compound_heads), None)
            if head:
                found.append((word.start(), f"@{tables.concept_of[head]}"))
                break
    return found


def normal_form(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    return _CJK_GAP.sub("", normal)


def terms(text: str) -> list[str]:
    """The terms of ``text`` with repetitions (their counts are the term frequencies)."""
    normal = normal_form(text)
    found = _terms(normal, "")
    found.extend(_terms(normal[:HEAD_CHARS], "^"))
    found.extend(shapes(normal))
    for start, concept in _mentions(normal):  # one scan: a mention in the title counts twice
        found.append(concept)
        if start < HEAD_CHARS:
            found.append("^" + concept)
    return found


def skeleton(text: str) -> str:
    """What of ``text`` its shapes match, in order, and nothing else: a document as a
    reader who knows none of its words sees it (amounts, dates, numbering…). Trained on
    beside the documents, it teaches the model what the shapes say by themselves."""
    normal = normal_form(text)
    spans = sorted(m.span() for pattern in _SHAPES.values() for m in pattern.finditer(normal))
    return "\n".join(normal[a:b] for a, b in spans)


def shapes(normal: str) -> list[str]:
    """The language-independent terms of text in ``normal_form``: ``#name`` for every
    match of a shape, ``#name>=n`` once it is frequent, ``#name$`` for an amount in the
    last fifth (totals at the bottom)."""
    found: list[str] = []
    tail = len(normal) * 4 // 5
    for name, pattern in _SHAPES.items():
        matches = list(pattern.finditer(normal))
        found.extend(f"#{name}" for _ in matches)
        found.extend(f"#{name}>={n}" for n in _MANY if len(matches) >= n)
        if name == "amount" and any(m.start() >= tail for m in matches):
            found.append("#amount$")
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


_ENDINGS = ("", "s", "es", "e", "en", "n", "er")
_LETTERS = re.compile(r"[^\W\d_]{7,}")
