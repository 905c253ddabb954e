"""Text handling shared by both backends: normalisation, CJK detection, snippets."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Han, Hiragana, Katakana (incl. the prolonged sound mark and half-width forms after NFKC).
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\u30fc]")
_CJK_RUN = re.compile(_CJK.pattern + "+")

SNIPPET_CHARS = 160


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII, half-width kana full), no control
    characters, and one space per gap.

    Applied to document text at index time and to every query value, so ``１２３`` finds
    ``123`` on both backends.
    """
    return _SPACE.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFKC", text))).strip()


def fold(text: str) -> str:
    """Normalise and case-fold: the form keyword and substring comparisons use."""
    return normalize(text).casefold()


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def lone_cjk_edge(text: str) -> bool:
    """Whether the first or the last run of CJK characters in ``text`` is one character
    (阪, 第1条, 7号): CJK bigram analysis holds such a character as a term of its own only
    where the text around it is not CJK, so as a substring of longer text it is found
    character by character."""
    runs = [run.group() for run in _CJK_RUN.finditer(text)]
    return bool(runs) and (len(runs[0]) == 1 or len(runs[-1]) == 1)


def short_tokens(text: str) -> list[str]:
    """The tokens of the short-term index: CJK unigrams and bigrams.

    The trigram index cannot find CJK terms under three characters (契約, 市); this index
    can. Latin words, short or long, are matched as words by FTS5's ``docs_en`` table.
    """
    tokens: list[str] = []
    for run in _CJK_RUN.findall(text):
        tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def is_short_token(term: str) -> bool:
    """Whether ``term`` is exactly one token of ``short_tokens`` (so that index can answer it)."""
    return len(term) <= 2 and _CJK_RUN.fullmatch(term) is not None


def latin_text(text: str) -> str:
    """``text`` with its CJK runs as spaces: what FTS5 matches Latin-script words in, so a
    word written against Japanese (登録番号T1234567890123) is still a word of its own."""
    return _CJK_RUN.sub(" ", text)


def snippet(text: str, needles: Iterable[str], size: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped excerpt of ``text`` around the first needle, every needle in ``<mark>``.

    Matching is case-insensitive on the text the index holds; Latin needles match words.
    """
    pattern = _needle_pattern(needles)
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - size // 3) if found else 0
    window = text[start : start + size]
    if pattern is None:
        body = html.escape(window)
    else:
        parts: list[str] = []
        pos = 0
        for m in pattern.finditer(window):
            parts.append(html.escape(window[pos : m.start()]))
            parts.append(f"<mark>{html.escape(m.group())}</mark>")
            pos = m.end()
        parts.append(html.escape(window[pos:]))
        body = "".join(parts)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + size < len(text) else ""
    return prefix + body + suffix


def _needle_pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({n for n in needles if n}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(_needle(n) for n in unique), re.IGNORECASE)


def _needle(needle: str) -> str:
    """A CJK needle is marked wherever it occurs; a Latin one only as a word (or a word's
    start, so ``contract`` marks contracts: the index matches stems)."""
    if has_cjk(needle):
        return re.escape(needle)
    tail = r"[A-Za-z0-9]*" if needle.isalnum() else "(?![A-Za-z0-9])"
    return rf"(?<![A-Za-z0-9]){re.escape(needle)}{tail}"
