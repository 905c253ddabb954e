"""Japanese and English: gettext catalogs (``web/locale/*/LC_MESSAGES/messages.po``).

Catalogs are compiled in memory when first used, so the repository holds only the
editable ``.po`` files.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = ("ja", "en")
DEFAULT_LOCALE = "ja"
_LOCALE_DIR = Path(__file__).parent / "locale"


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalog where it is defined; it is translated where shown."""
    return msgid


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalog for ``locale``; English is the source language."""
    po = _LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == "en" or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def negotiate(preferred: str | None, accept_language: str | None) -> str:
    """The user's own setting first, then the browser's Accept-Language, then Japanese."""
    if preferred in LOCALES:
        return preferred
    ranked: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((quality, tag.strip().lower().split("-")[0]))
    for _quality, tag in sorted(ranked, key=lambda item: -item[0]):
        if tag in LOCALES:
            return tag
    return DEFAULT_LOCALE
