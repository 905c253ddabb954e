"""Messages of the layers below, as the translated sentence a page shows.

The archive and the search parser speak English to the API and the logs, with the value
at fault inside the sentence; a page matches the sentence's shape and shows a catalog
message instead, so no English reaches a Japanese page. An unknown one falls back to a
general sentence, never to the English text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from web.i18n import N_

Shapes = list[tuple[re.Pattern[str], str]]

INPUT: Shapes = [
    (re.compile(r"user .* exists already"), N_("This login name is taken.")),
    (re.compile(r"department .* exists already"), N_("This code is taken.")),
    (re.compile(r"an API key named .* exists already"), N_("This name is taken.")),
    (re.compile(r"unknown department code"), N_("Choose a department from the list.")),
    (re.compile(r"a password needs at least"), N_("The password is too short.")),
    (re.compile(r"roles must be among"), N_("Choose at least one role.")),
    (re.compile(r"scopes must be among"), N_("Choose at least one scope.")),
]
"""``InvalidInput`` messages of ``archive`` that name a value."""

QUERY: Shapes = [
    (re.compile(r"unbalanced quote"), N_("a quotation mark is not closed")),
    (re.compile(r"empty phrase"), N_("the quotation marks hold nothing")),
    (re.compile(r"empty parentheses"), N_("the parentheses hold nothing")),
    (re.compile(r"unbalanced parenthesis"), N_("a parenthesis is not opened or not closed")),
    (re.compile(r".*nest deeper than"), N_("the query nests too deeply")),
    (re.compile(r"query (has more|is longer) than"), N_("the query is too long")),
    (re.compile(r"query ends where|.* needs a term|unexpected "), N_("a word is missing")),
    (re.compile(r"unknown field"), N_("this field is unknown (see How to search)")),
    (re.compile(r".*: needs a value"), N_("a value is missing after the colon")),
    (re.compile(r".* cannot be compared with"), N_("this field cannot be compared that way")),
    (re.compile(r".*: a range needs at least one bound"), N_("a range needs a start or an end")),
    (re.compile(r".*: range starts after it ends"), N_("the range starts after it ends")),
    (re.compile(r"regno must be"), N_("a registration number is T and 13 digits")),
    (re.compile(r".* is not a (whole )?number"), N_("a number was expected")),
    (re.compile(r"date: .* reads as two dates"), N_("this reads as two dates: write YYYY-MM-DD")),
    (re.compile(r"date: "), N_("this is not a date (write YYYY-MM-DD, 2024年4月1日 or R6.4.1)")),
    (re.compile(r"security level must be one of"), N_("this security level is unknown")),
]
"""``QuerySyntaxError`` messages of the search parser."""


PROCESSING: Shapes = [
    (re.compile(r"the file is empty"), N_("The file is empty.")),
    (re.compile(r".*(encrypt|password)", re.I), N_("The file is protected by a password.")),
    (
        re.compile(r".*(damaged|corrupt|cannot be rendered|has no area|truncated)", re.I),
        N_("The file is damaged and cannot be read."),
    ),
    (
        re.compile(r".*(unsupported|not supported|cannot be read as)", re.I),
        N_("This kind of file cannot be read."),
    ),
    (
        re.compile(r".*(took longer than|too large|too many)"),
        N_("The file is too large, or reading it took too long."),
    ),
    (re.compile(r"the original is missing"), N_("The original is missing from storage.")),
    (re.compile(r"no space left"), N_("The server's disk is full; it will be tried again.")),
    (re.compile(r"waiting for the search index"), N_("Waiting for the search index.")),
]
"""Why reading a document failed (``Document.status_reason``, from ``ingest``)."""


def shown(
    message: str,
    t: Callable[[str], str],
    shapes: Shapes,
    fallback: str = N_("This value cannot be used."),
) -> str:
    """``message`` translated: by its exact text, by its shape, or the ``fallback``.

    In English (no translation) the original message is shown, with its detail.
    """
    msgid = next((m for pattern, m in shapes if pattern.match(message)), fallback)
    for candidate in (message, msgid):
        if t(candidate) != candidate:
            return t(candidate)
    return message
