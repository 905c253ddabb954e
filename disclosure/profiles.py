"""Jurisdiction profiles: the deadline rules and non-disclosure grounds of one law, read from JSON.

A profile is data (``disclosure/profiles/<code>.json``), so a city adds its ordinance
without code. Fields:

* ``counting``: ``calendar`` (every day counts) or ``business`` (only open days count);
* ``days_to_decide``, ``extension_days`` (one extension's length) and ``extension_max_days``;
* ``receipt_day_counts``: False under 民法 §140 (the period starts the day after receipt);
* ``holidays``: a country code for the ``holidays`` library (``JP``, ``US``);
* ``closure_days``: ``MM-DD`` days the office is shut every year (12/29–1/3);
* ``closed_weekdays``: 0=Monday … 6=Sunday;
* ``due_on_closed_day``: ``next_open_day`` moves a due date off a closed day (地方自治法 §4の2④);
* ``third_party_wait_days``: days between decision and release after a third party objects;
* ``grounds``: non-disclosure category → the legal ground cited in the notice;
* ``terms``: the law's own words for the decisions and the release (部分開示 under the national
  law, 部分公開 under an ordinance that says 公開), over ``DEFAULT_TERMS``;
* ``authority``, ``document_symbol`` and ``appeal``: the notice's issuing authority (実施機関),
  the prefix of its document numbers (大市 → 大市情第123号) and its 教示 paragraphs;
* ``department_symbols``: department code → its one-letter symbol in document numbers (情);
  a department not listed uses the first letter of its name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from archive import InvalidInput

PROFILE_DIR = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "osaka-city"
DEFAULT_TERMS = {
    "full": "全部開示",
    "partial": "部分開示",
    "non_disclosure": "不開示",
    "no_records": "不存在（文書不存在による不開示）",
    "neither_confirm_nor_deny": "存否応答拒否",
    "disclose": "開示",
    "release": "開示の実施",
}


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    name_en: str
    counting: str
    days_to_decide: int
    receipt_day_counts: bool
    extension_days: int
    extension_max_days: int
    holidays: str
    closure_days: tuple[tuple[int, int], ...]
    closed_weekdays: frozenset[int]
    due_on_closed_day: str
    third_party_wait_days: int
    grounds: dict[str, str]
    terms: dict[str, str]
    authority: str
    document_symbol: str
    appeal: tuple[str, ...]
    department_symbols: dict[str, str]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        try:
            counting = str(data["counting"])
            if counting not in ("calendar", "business"):
                raise ValueError(f"counting must be calendar or business, not {counting!r}")
            closure = tuple((int(d[:2]), int(d[3:5])) for d in data.get("closure_days", []))
            return cls(
                code=str(data["code"]),
                name=str(data["name"]),
                name_en=str(data.get("name_en", data["name"])),
                counting=counting,
                days_to_decide=int(data["days_to_decide"]),
                receipt_day_counts=bool(data["receipt_day_counts"]),
                extension_days=int(data["extension_days"]),
                extension_max_days=int(data["extension_max_days"]),
                holidays=str(data.get("holidays", "")),
                closure_days=closure,
                closed_weekdays=frozenset(int(d) for d in data.get("closed_weekdays", [5, 6])),
                due_on_closed_day=str(data.get("due_on_closed_day", "next_open_day")),
                third_party_wait_days=int(data.get("third_party_wait_days", 0)),
                grounds={str(k): str(v) for k, v in data.get("grounds", {}).items()},
                terms={
                    **DEFAULT_TERMS,
                    **{str(k): str(v) for k, v in data.get("terms", {}).items()},
                },
                authority=str(data.get("authority", "")),
                document_symbol=str(data.get("document_symbol", "")),
                appeal=tuple(str(p) for p in data.get("appeal", [])),
                department_symbols={
                    str(k): str(v) for k, v in data.get("department_symbols", {}).items()
                },
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ValueError(f"profile {data.get('code', '?')}: {exc}") from None


@cache
def load_profile(code: str) -> Profile:
    """The profile named ``code``; ``InvalidInput`` when there is none."""
    if code not in available_profiles():
        raise InvalidInput(f"unknown jurisdiction profile {code!r}", field="profile")
    return Profile.from_json(json.loads((PROFILE_DIR / f"{code}.json").read_text(encoding="utf-8")))


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.json"))
