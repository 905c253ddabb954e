"""Disclosure requests (情報公開請求): deadlines, states, responsive records, true redaction, release.

* ``profiles``/``deadlines``: jurisdiction profiles as data, due dates, tolling, extensions;
* ``requests``: intake, the state machine, the dashboard;
* ``records``: attached documents (frozen, held through ``retention.holds``) and redaction marks;
* ``locate``/``render``/``convert``: finding text on pages, and the image-only released PDF;
* ``pii``: personal-information proposals;
* ``decision``/``notice``/``release``/``stats``: decision, notice, release package, statistics.
"""
