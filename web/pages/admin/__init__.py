"""Administration pages: people, departments, API keys.

Every change goes through the same use-case functions as the ``bunko`` CLI
(``web/administration.py``), audited in the same transaction, with the administrator
as the actor. A form that fails validation is shown again with what was typed; changing
one's own account and revoking a key ask for a confirmation first.
"""

from __future__ import annotations

from fastapi import APIRouter

from web.pages.admin import departments, keys, people

router = APIRouter()
for _section in (people, departments, keys):
    router.include_router(_section.router)
