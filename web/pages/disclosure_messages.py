"""The refusals of the disclosure services, in the page's language.

Services raise English messages (the API's JSON carries them as they are). A page shows
them through the catalog: a fixed message is its own msgid; a message with values in it
is matched by a pattern here and its msgid filled in with the values.
"""

from __future__ import annotations

import re

from fastapi import Request

from web.i18n import translations
from web.templating import page_locale

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (
            r"page (\d+) does not exist \(the record has (\d+)\)",
            "page {0} does not exist (the record has {1})",
        ),
        (
            r"the box lies outside page (\d+) \((\d+) × (\d+) pt\)",
            "the box lies outside page {0} ({1} × {2} pt)",
        ),
        (
            r"(\d+) proposed redactions wait for acceptance or rejection",
            "{0} proposed redactions wait for acceptance or rejection",
        ),
        (
            r"full disclosure, yet (\d+) redactions are accepted: decide partial",
            "full disclosure, yet {0} redactions are accepted: decide partial",
        ),
        (
            r"redactions without a legal ground in ([\w-]+): (.+)",
            "redactions without a legal ground in {0}: {1}",
        ),
        (
            r"a third party objected: release is possible from ([\d-]+)",
            "a third party objected: release is possible from {0}",
        ),
        (
            r"a (\w+) request cannot be decided \(review it first\)",
            "this request cannot be decided now (review it first)",
        ),
        (
            r"a (\w+) request cannot be released \(decide it first\)",
            "this request cannot be released now (decide it first)",
        ),
        (r"a (\w+) request cannot become (\w+)", "the request cannot take this step now"),
        (r"the records of a (\w+) request are fixed", "the records of this request are fixed"),
        (r"bad pattern: (.+)", "bad pattern: {0}"),
        (r"(\w+): a number is needed", "{0}: a number is needed"),
        (
            r"(.+) allows at most (\d+) days of extension \((\d+) used\)",
            "{0} allows at most {1} days of extension ({2} used)",
        ),
    )
)


def translated(request: Request, message: str) -> str:
    gettext = translations(page_locale(request)).gettext
    for pattern, msgid in PATTERNS:
        if found := pattern.fullmatch(message):
            return gettext(msgid).format(*found.groups())
    return gettext(message)
