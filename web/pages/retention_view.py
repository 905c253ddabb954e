"""How the records officer's pages word things: Japan time, people and departments by name,
a record's retention explained in the reader's language, refusals translated.

The retention layer states its reasons in English for the API and the logs; these helpers
turn its structured answers (``explanation.explain``, error fields) into the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from archive import ArchiveError, InvalidInput
from retention import AssignedBy, Assigner, Explanation
from web.i18n import translations
from web.pages._common import person_names

Gettext = Callable[[str], str]

_EXTRACTED = re.compile(r"extracted field (\w+)")
_EXTENDED = re.compile(r"retention was extended to (\S+)")
_HELD = re.compile(r"under hold: (.+)")
_CSV_LINE = re.compile(r"line (\d+)[,:] (.*)")
_SOURCES = (
    "document date (metadata)",
    "date received",
    "file closed",
    "file event date (set by hand)",
    "event date (set by hand)",
)
_PENDING = (
    "the file is still open",
    "no record series assigned yet",
    "not yet processed",
)
_REFUSALS: tuple[tuple[str, str], ...] = (
    ("four eyes", "The officer who reviewed a batch may not approve it: a second officer must."),
    ("only a proposed batch", "Only a proposed batch can be reviewed."),
    ("only a reviewed batch", "Only a reviewed batch can be approved."),
    ("only an approved batch", "Only an approved batch can be executed."),
    (
        "decide destroy or transfer",
        "Decide destroy or transfer (or exclude) for every item to review.",
    ),
    (
        "extension needs a reason and a legal basis",
        "An extension needs a reason and a legal basis.",
    ),
    ("give either until", "Give either a date or a number of years."),
    ("years must be between", "The number of years must be between 1 and 100."),
    (
        "may only move the date later",
        "An extension may only move the date later (retention is never shortened).",
    ),
    ("kept permanently", "The record is kept permanently: there is nothing to extend."),
    (
        "no disposition date yet",
        "The record has no disposition date yet: there is nothing to extend.",
    ),
    ("no retention yet", "The document has no retention yet: choose a series first."),
    ("the document is in a file", "The document is in a file: its series is the file's."),
    ("no record series", "There is no such record series."),
    ("a hold named", "A hold with this name exists already."),
    ("a hold needs a name and a reason", "A hold needs a name and a reason."),
    ("a hold needs documents", "A hold needs documents or a search query."),
    ("no such documents", "Some of the documents do not exist or you may not read them."),
    ("the query finds more than", "The query finds too many documents: narrow it."),
    ("the query is empty", "The search query is empty."),
    ("needs the search index", "Holding by query needs the search index."),
    (
        "above your clearance",
        "Some items of this batch are above your clearance: an officer cleared for them must act.",
    ),
    ("code:", "The code must be 1–40 letters, digits, '.', '_' or '-'."),
    ("name: required", "Enter a name."),
    ("period:", "The period must be 0–100 years and 0–1200 months."),
    (
        "either permanent or has a period",
        "A series is either permanent or has a period of years or months.",
    ),
    ("exists already", "A series with this code exists already."),
    ("unknown department", "There is no such department."),
    ("a rule needs at least one of", "A rule needs a type, a department or words of the title."),
    ("needs a reason", "Give a reason."),
    ("no rule", "There is no such rule."),
    ("neither UTF-8 nor Shift_JIS", "The CSV is neither UTF-8 nor Shift_JIS."),
    ("larger than", "The file is too large."),
    ("plan CSV", "The CSV could not be read."),
    ("doc_type must be one of", "Choose one of the listed types."),
)
"""Known refusals of the retention layer (a fragment of its message -> the page's words)."""


def gettext_for(lang: str) -> Gettext:
    return translations(lang).gettext


def person_namer(session: Session) -> Callable[[str | None], str]:
    """``user:tanaka`` (or a bare ``tanaka``) → the person's name; anything else as it is."""
    person = person_names(session)

    def name(actor: str | None) -> str:
        if not actor:
            return "—"
        return person(actor.removeprefix("user:")) or actor

    return name


def assigned_label(t: Gettext, name: Callable[[str | None], str], assigned_by: str | None) -> str:
    """Who gave a document its series: a person by name, or the rule that matched."""
    if not assigned_by:
        return t("not assigned")
    found = AssignedBy.parse(assigned_by)
    if found.kind is Assigner.NOBODY:
        return t("not assigned")
    if found.kind is Assigner.RULE:
        return t("assignment rule {id}").format(id=found.ref)
    return name(assigned_by)


def period_label(t: Gettext, years: int, months: int, permanent: bool) -> str:
    if permanent:
        return t("permanent")
    parts = ([t("{n} year" if years == 1 else "{n} years").format(n=years)] if years else []) + (
        [t("{n} month" if months == 1 else "{n} months").format(n=months)] if months else []
    )
    return " ".join(parts)


def source_label(t: Gettext, source: str | None) -> str:
    if not source:
        return "—"
    if source in _SOURCES:
        return t(source)
    found = _EXTRACTED.fullmatch(source)
    if found:
        return t("extracted field {name}").format(name=t(found.group(1)))
    return source


def pending_label(t: Gettext, reason: str | None) -> str:
    if not reason:
        return ""
    if reason in _PENDING:
        return t(reason)
    if reason.startswith("waiting for the event date"):
        return t("waiting for the event date (an extracted field or one set by hand)")
    return reason


def outcome_detail(t: Gettext, detail: str | None) -> str:
    """An item's outcome detail (a hold, an extension, the storage) in the page's language."""
    if not detail:
        return ""
    if (held := _HELD.fullmatch(detail)) is not None:
        return t("under hold: {names}").format(names=held.group(1))
    if (moved := _EXTENDED.fullmatch(detail)) is not None:
        return t("retention was extended to {date}").format(date=moved.group(1))
    if detail.startswith("series says review; decided at review: "):
        return t("decided at review: {action}").format(action=t(detail.rsplit(" ", 1)[1]))
    if detail.startswith("storage refuses"):
        return t("the storage lock refuses deletion")
    return t(detail)


def explanation(t: Gettext, explained: Explanation) -> str:
    """``explanation.explain``'s sentence, in the reader's language."""
    rule = explained.series
    if rule is None:
        return t("No record series is assigned yet, so no disposition date can be computed.")
    if explained.permanent:
        return t("Series {code} keeps its records permanently.").format(code=rule.code)
    if explained.disposition_date is None:
        return t("Series {code}: {reason}.").format(
            code=rule.code, reason=pending_label(t, explained.pending_reason)
        )
    text = t(
        "Series {code} keeps records {period} ({trigger}); the trigger date {trigger_date} ({source}) "
        "starts the period on {start}, which ends on {end}"
    ).format(
        code=rule.code,
        period=period_label(t, rule.period_years, rule.period_months, False),
        trigger=t(rule.trigger),
        trigger_date=explained.trigger_date,
        source=source_label(t, explained.trigger_source),
        start=explained.start_date,
        end=explained.base_disposition_date,
    )
    if explained.disposition_date != explained.base_disposition_date:
        text += t("; extended to {date}").format(date=explained.disposition_date)
    return text + t(".")


def problem(t: Gettext, exc: ArchiveError | ValueError) -> str:
    """A refusal in the page's language (the field it concerns, when the layer named one)."""
    message = str(exc)
    if (line := _CSV_LINE.match(message)) is not None:
        inner = problem(t, InvalidInput(line.group(2)))
        return t("Line {n} of the CSV: {problem}").format(n=line.group(1), problem=inner)
    for fragment, words in _REFUSALS:
        if fragment in message:
            return t(words)
    if isinstance(exc, InvalidInput) and exc.field:
        return t("Check the field {field}.").format(field=t(exc.field))
    return t("This could not be done.")


def overdue(disposition_date: date, today: date) -> bool:
    return disposition_date < today
