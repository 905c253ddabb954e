"""The access rules of ``archive.access`` as SQL, and who a caller is.

``readable(scope)`` is the one WHERE clause every reader of documents adds to its query;
``writable(principal)`` the one every writer of a document's metadata or versions adds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, false, or_, select

from archive.access import AccessScope, SecurityLevel
from archive.audit import Actor
from archive.models import ApiKey, Department, Document, DocumentGrant, User


class Permission(enum.StrEnum):
    """What a caller may do; a role or an API key's scopes grant a set of them."""

    UPLOAD = "upload"
    READ = "read"
    SEARCH = "search"
    AUDIT = "audit"
    RECORDS = "records"
    DISCLOSURE = "disclosure"
    ADMIN = "admin"


class PrincipalKind(enum.StrEnum):
    USER = "user"
    APIKEY = "apikey"
    FOLDER = "folder"
    """A watched folder filing on a department's behalf (``web.folders``)."""


_P = Permission
ROLES = ("staff", "records_officer", "disclosure_officer", "admin")
API_SCOPES = (_P.UPLOAD, _P.READ, _P.SEARCH, _P.ADMIN, _P.RECORDS, _P.DISCLOSURE)
"""The permissions an API key may be given (``audit`` comes with ``admin``)."""
OFFICER_SCOPES = frozenset({_P.ADMIN, _P.RECORDS, _P.DISCLOSURE})
"""Scopes that act city-wide (up to the key's clearance), as the officers' roles do."""
CITY_WIDE_ROLES = frozenset({"records_officer", "disclosure_officer", "admin"})
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "staff": frozenset({_P.UPLOAD, _P.READ, _P.SEARCH}),
    "records_officer": frozenset({_P.UPLOAD, _P.READ, _P.SEARCH, _P.AUDIT, _P.RECORDS}),
    "disclosure_officer": frozenset({_P.UPLOAD, _P.READ, _P.SEARCH, _P.DISCLOSURE}),
    "admin": frozenset({_P.UPLOAD, _P.READ, _P.SEARCH, _P.AUDIT, _P.ADMIN}),
}


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a signed-in user or an integrating system's API key."""

    kind: PrincipalKind
    id: int
    name: str
    permissions: frozenset[Permission]
    scope: AccessScope
    department_id: int | None = None
    source_system: str | None = None
    client_ip: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(f"{self.kind}:{self.name}", self.client_ip)

    def may(self, permission: Permission) -> bool:
        """Whether the caller has ``permission``; a name that is no permission (a template's
        typo) raises ``ValueError`` instead of quietly answering no."""
        return Permission(permission) in self.permissions


def _lineage(department: Department | None) -> tuple[int, ...]:
    return department.lineage if department is not None else ()


def user_principal(user: User, client_ip: str | None = None) -> Principal:
    roles = user.role_set & set(ROLES)
    permissions = frozenset[Permission]().union(*(ROLE_PERMISSIONS[r] for r in roles))
    return Principal(
        kind=PrincipalKind.USER,
        id=user.id,
        name=user.login,
        permissions=permissions,
        scope=AccessScope(
            user_id=user.id,
            department_id=user.department_id,
            department_lineage=_lineage(user.department),
            clearance=SecurityLevel(user.clearance),
            city_wide=bool(roles & CITY_WIDE_ROLES),
        ),
        department_id=user.department_id,
        client_ip=client_ip,
    )


def api_key_principal(key: ApiKey, client_ip: str | None = None) -> Principal:
    scopes = frozenset(Permission(s) for s in key.scopes.split() if s in API_SCOPES)
    return Principal(
        kind=PrincipalKind.APIKEY,
        id=key.id,
        name=key.name,
        permissions=scopes | ({_P.AUDIT} if _P.ADMIN in scopes else set()),
        scope=AccessScope(
            department_id=key.department_id,
            department_lineage=_lineage(key.department),
            clearance=SecurityLevel(key.clearance),
            city_wide=bool(scopes & OFFICER_SCOPES),
        ),
        department_id=key.department_id,
        source_system=key.source_system,
        client_ip=client_ip,
    )


def readable(scope: AccessScope) -> ColumnElement[bool]:
    """The documents ``scope`` may read, as a WHERE clause on ``Document``."""
    branches: list[ColumnElement[bool]] = [Document.security_level == int(SecurityLevel.PUBLIC)]
    grantee: list[ColumnElement[bool]] = []
    if scope.user_id is not None:
        grantee.append(DocumentGrant.user_id == scope.user_id)
    if scope.department_lineage:
        grantee.append(DocumentGrant.department_id.in_(scope.department_lineage))
    if grantee:
        branches.append(exists().where(DocumentGrant.document_id == Document.id, or_(*grantee)))
    cleared = Document.security_level <= int(scope.clearance)
    if scope.city_wide:
        branches.append(cleared)
    elif scope.department_id is not None:
        branches.append(and_(cleared, _in_subtree_of(scope.department_id)))
    return or_(*branches) if branches else false()


def readable_level(level: SQLColumnExpression[int], scope: AccessScope) -> ColumnElement[bool]:
    """The rule for what is kept of a document after it is gone (an item, a residual record).

    Only the level survives the document, so ``level`` is judged as the rule judges a level:
    ``public`` for everyone, otherwise within a city-wide reader's clearance. Grants and
    department ownership went with the document.
    """
    public = level == int(SecurityLevel.PUBLIC)
    return or_(public, level <= int(scope.clearance)) if scope.city_wide else public


def readable_reference(
    document_id: SQLColumnExpression[str], level: SQLColumnExpression[int], scope: AccessScope
) -> ColumnElement[bool]:
    """Rows that name a document and keep a copy of its level (a disposition item, a responsive
    record): visible exactly when the document may be read, and by ``level`` once it is gone."""
    gone = ~exists().where(Document.id == document_id)
    return or_(
        document_id.in_(select(Document.id).where(readable(scope))),
        and_(gone, readable_level(level, scope)),
    )


def _in_subtree_of(department_id: int) -> ColumnElement[bool]:
    own_path = select(Department.path).where(Department.id == department_id).scalar_subquery()
    subtree = select(Department.id).where(Department.path.like(own_path.concat("%")))
    return Document.department_id.in_(subtree)


def writable(principal: Principal) -> ColumnElement[bool]:
    """The documents ``principal`` may change (metadata, new versions), as a WHERE clause.

    Writing is not reading: grants, public level and city-wide reading give no write
    right. Staff (and upload keys) write their own department's subtree up to their
    clearance; records officers and administrators write city-wide up to theirs.
    """
    if not principal.may(_P.UPLOAD):
        return false()
    cleared = Document.security_level <= int(principal.scope.clearance)
    if principal.may(_P.RECORDS) or principal.may(_P.ADMIN):
        return cleared
    if principal.scope.department_id is None:
        return false()
    return and_(cleared, _in_subtree_of(principal.scope.department_id))
