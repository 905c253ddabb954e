"""The access matrix's world: one populated stack, the callers, and the rule written out.

``may_read`` is the README's rule on its own (not ``archive.policy``), so the matrix
compares the service with an independent statement of what each caller may read.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient
from pypdf import PdfReader

from archive.access import SecurityLevel
from ingest.pipeline import Outcome, index_document, process_document
from tests.disclosure.conftest import REQUEST
from tests.factories import csrf_from, key_for, org, person, sign_in, upload_as
from tests.web.access_rules import R
from web.app import create_app
from web.services import Services

LEVELS = ("public", "internal", "confidential", "secret")
OWNERS = ("jinji", "kenko")
SUBTREE = {"somu": {"somu", "jinji"}, "jinji": {"jinji"}, "kenko": {"kenko"}}
LINEAGE = {"somu": {"somu"}, "jinji": {"jinji", "somu"}, "kenko": {"kenko"}}
OLD = "2015-05-01"  # due long ago under a one-year series


@dataclass(frozen=True)
class Doc:
    id: str
    owner: str
    level: str
    title: str
    marker: str
    granted_to_user: str | None = None
    granted_to_department: str | None = None


@dataclass
class Caller:
    name: str
    client: TestClient
    department: str | None
    clearance: SecurityLevel
    city_wide: bool = False
    login: str | None = None
    permissions: frozenset[str] = frozenset({"read", "search", "upload"})
    headers: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, url: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, follow_redirects=False, **kw)


def may_read(caller: Caller, doc: Doc) -> bool:
    """The README's rule, written out on its own (not ``archive.policy``)."""
    if doc.level == "public":
        return True
    if caller.login is not None and doc.granted_to_user == caller.login:
        return True
    lineage = LINEAGE.get(caller.department or "", set())
    if doc.granted_to_department in lineage:
        return True
    if LEVELS.index(doc.level) > caller.clearance:
        return False
    return caller.city_wide or doc.owner in SUBTREE.get(caller.department or "", set())


def may_see_gone(caller: Caller, doc: Doc) -> bool:
    """What an officer may see of a document that left: its level against the clearance."""
    return doc.level == "public" or (
        caller.city_wide and LEVELS.index(doc.level) <= caller.clearance
    )


@dataclass
class World:
    services: Services
    live: list[Doc]
    gone: list[Doc]
    callers: dict[str, Caller]
    transferred_batch: str
    proposed_batch: str
    request_id: str
    records: dict[str, int]  # document id → responsive record id
    clients: list[TestClient]

    def hidden_from(self, caller: Caller) -> list[str]:
        """The titles and content markers ``caller`` must never receive."""
        return [s for d in self.live if not may_read(caller, d) for s in (d.title, d.marker)] + [
            s for d in self.gone if not may_see_gone(caller, d) for s in (d.title, d.marker)
        ]


def _text_of(response: httpx.Response) -> str:
    """Everything a response carries, as text: PDF text, ZIP member names and contents, or the body."""
    content = response.content
    if content.startswith(b"%PDF"):
        return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                name + "\n" + archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def assert_no_leak(world: World, caller: Caller, response: httpx.Response, what: str) -> str:
    text = _text_of(response)
    squeezed = re.sub(r"\s+", "", text)
    for secret in world.hidden_from(caller):
        assert secret not in text and secret not in squeezed, (
            f"{caller.name} got {secret} from {what}"
        )
    return squeezed


def _officer(
    services: Services, login: str, department: str, role: str, clearance: SecurityLevel
) -> TestClient:
    person(services, login, department, roles=(role,), clearance=clearance)
    client = TestClient(create_app(services=services))
    client.__enter__()
    sign_in(client, login)
    client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
    return client


def _callers(services: Services, keys: TestClient) -> dict[str, Caller]:
    conf, sec, internal = SecurityLevel.CONFIDENTIAL, SecurityLevel.SECRET, SecurityLevel.INTERNAL

    def key(name: str, department: str | None, clearance: SecurityLevel, **kw: Any) -> Caller:
        scopes = kw.pop("scopes", ("upload", "read", "search"))
        value = key_for(services, department, scopes=scopes, clearance=clearance)
        return Caller(name, keys, department, clearance, headers={"X-API-Key": value}, **kw)

    def officer(name: str, role: str, clearance: SecurityLevel, permission: str) -> Caller:
        client = _officer(services, name, "somu", role, clearance)
        return Caller(
            name,
            client,
            "somu",
            clearance,
            city_wide=True,
            login=name,
            permissions=frozenset({"read", "search", "upload", permission}),
        )

    granted = _officer(services, "granted", "kenko", "staff", internal)
    callers = [
        key("section-staff", "jinji", internal),
        key("bureau-staff", "somu", conf),
        key("other-bureau-secret", "kenko", sec),
        key("no-department", None, conf),
        key(
            "admin-key",
            "kenko",
            internal,
            scopes=("admin", "read", "search"),
            city_wide=True,
            permissions=frozenset({"read", "search", "admin", "audit"}),
        ),
        Caller("granted", granted, "kenko", internal, login="granted"),
        officer("records-conf", "records_officer", conf, "records"),
        officer("records-secret", "records_officer", sec, "records"),
        officer("disclosure-internal", "disclosure_officer", internal, "disclosure"),
        officer("disclosure-secret", "disclosure_officer", sec, "disclosure"),
    ]
    return {c.name: c for c in callers}


def _upload(
    services: Services, keys: TestClient, owner_key: str, owner: str, level: str, tag: str
) -> Doc:
    token = uuid.uuid4().hex[:8]
    title, marker = f"MXT{tag}{owner}{level}{token}", f"MXC{tag}{owner}{level}{token}"
    doc_id = upload_as(
        keys,
        owner_key,
        f"{marker} matrixcommon 共通の記録 {owner} {level}".encode(),
        title=title,
        document_date=OLD,
        security_level=level,
    )
    assert process_document(services.pipeline(), doc_id) is Outcome.PROCESSED
    return Doc(doc_id, owner, level, title, marker)


def build_world(services: Services) -> World:
    """Populate ``services`` (see the matrix's docstring for what and why)."""
    org(services)
    keys = TestClient(create_app(services=services))
    keys.__enter__()
    owners = {o: key_for(services, o, clearance=SecurityLevel.SECRET) for o in OWNERS}
    admin = {
        "X-API-Key": key_for(
            services, None, scopes=("admin", "read"), clearance=SecurityLevel.SECRET
        )
    }
    callers = _callers(services, keys)
    records, second = (
        callers["records-secret"],
        Caller(
            "records-secret-2",
            _officer(services, "suzuki", "somu", "records_officer", SecurityLevel.SECRET),
            "somu",
            SecurityLevel.SECRET,
            city_wide=True,
        ),
    )
    for code, action in (("MX-T", "transfer"), ("MX-D", "destroy")):
        made = records.call(
            "POST",
            f"{R}/series",
            json={"code": code, "name": code, "period_years": 1, "action": action},
        )
        assert made.status_code == 201, made.text

    def assign(doc: Doc, series: str) -> None:
        assigned = records.call(
            "PUT", f"/api/v1/documents/{doc.id}/retention", json={"series": series}
        )
        assert assigned.status_code == 200, assigned.text

    gone = [_upload(services, keys, owners["jinji"], "jinji", level, "G") for level in LEVELS]
    for doc in gone:
        assign(doc, "MX-T")
    transferred = records.call("POST", f"{R}/run", json={}).json()["batch_id"]
    assert records.call("POST", f"{R}/batches/{transferred}/review", json={}).status_code == 200
    assert second.call("POST", f"{R}/batches/{transferred}/approve").status_code == 200
    executed = records.call("POST", f"{R}/batches/{transferred}/execute")
    assert executed.status_code == 200 and {i["outcome"] for i in executed.json()["items"]} == {
        "transferred"
    }

    live = [_upload(services, keys, owners[o], o, level, "L") for o in OWNERS for level in LEVELS]
    grants = {("jinji", "secret"): {"user": "granted"}, ("kenko", "secret"): {"department": "somu"}}
    for n, doc in enumerate(live):
        body = grants.get((doc.owner, doc.level))
        if body is not None:
            made = keys.post(f"/api/v1/documents/{doc.id}/grants", json=body, headers=admin)
            assert made.status_code == 201, made.text
            index_document(services.pipeline(), doc.id)  # what the worker does after a grant
            live[n] = Doc(
                doc.id,
                doc.owner,
                doc.level,
                doc.title,
                doc.marker,
                granted_to_user=body.get("user"),
                granted_to_department=body.get("department"),
            )
        assign(doc, "MX-D")
    proposed = records.call("POST", f"{R}/run", json={}).json()["batch_id"]

    disclosure = callers["disclosure-secret"]
    request_id = disclosure.call("POST", "/api/v1/disclosure/requests", json=REQUEST).json()["id"]
    attached = disclosure.call(
        "POST",
        f"/api/v1/disclosure/requests/{request_id}/records",
        json={"document_ids": [d.id for d in live]},
    )
    assert attached.status_code == 201, attached.text
    clients = list({id(c.client): c.client for c in [*callers.values(), second]}.values())
    return World(
        services,
        live,
        gone,
        callers,
        transferred,
        proposed,
        request_id,
        {r["document_id"]: r["id"] for r in attached.json()},
        clients,
    )
