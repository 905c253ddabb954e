"""Disclosure requests (情報公開請求): deadlines, states, responsive records, true redaction, release.

* ``profiles``/``deadlines``: jurisdiction profiles as data, due dates, tolling, extensions;
* ``requests``: intake, the state machine, the dashboard;
* ``records``: attached documents (frozen, held through ``retention.holds``) and redaction marks;
* ``locate``/``render``/``convert``: finding text on pages, and the image-only released PDF;
* ``pii``: personal-information proposals;
* ``decision``/``notice``/``release``/``stats``: decision, notice, release package, statistics.

Other packages import only from here (import-linter checks it). A module they use as a
namespace is exported as ``<name>_service`` (``request_service``), a use-case module as
``<name>_cases`` (``request_cases``).
"""

from disclosure import consultations as consultation_service
from disclosure import decision as decision_service
from disclosure import marking as marking_service
from disclosure import records as record_service
from disclosure import requests as request_service
from disclosure.deadlines import paused_days
from disclosure.locate import Box
from disclosure.models import (
    Consultation,
    DisclosureRequest,
    Redaction,
    RedactionStatus,
    RequestState,
    ResponsiveRecord,
)
from disclosure.notice import notice_docx, notice_pdf
from disclosure.profiles import DEFAULT_PROFILE, available_profiles, load_profile
from disclosure.reminders import announce_due_soon
from disclosure.requests import get_request
from disclosure.usecases import records as record_cases
from disclosure.usecases import redactions as redaction_cases
from disclosure.usecases import requests as request_cases

__all__ = [
    "DEFAULT_PROFILE",
    "Box",
    "Consultation",
    "DisclosureRequest",
    "Redaction",
    "RedactionStatus",
    "RequestState",
    "ResponsiveRecord",
    "announce_due_soon",
    "available_profiles",
    "consultation_service",
    "decision_service",
    "get_request",
    "load_profile",
    "marking_service",
    "notice_docx",
    "notice_pdf",
    "paused_days",
    "record_cases",
    "record_service",
    "redaction_cases",
    "request_cases",
    "request_service",
]
