"""The access matrix's declaration table: every route of the app with the rule it applies.

``tests/web/test_access_matrix.py`` fails when the app has a route that is not declared
here, checks each rule's gate, and runs the document routes through the matrix.
"""

from __future__ import annotations

from typing import Any

PUBLIC = "public"  # anyone, signed in or not (health, sign-in, the API description)
AUTHENTICATED = "authenticated"  # any key or signed-in person
READ = "read"  # names a document: 404 unless the caller may read it
WRITE = "write"  # changes a document: as READ, plus the write rule of its own
RECORDS = "records"  # records officers, up to their clearance
DISCLOSURE = "disclosure"  # disclosure officers, up to their clearance
AUDIT = "audit"  # administrators and records officers
ADMIN = "admin"  # administrators

R, D = "/api/v1/retention", "/api/v1/disclosure/requests/{request_id}"
ROUTES: dict[str, str] = {
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /docs/oauth2-redirect": PUBLIC,
    "GET /redoc": PUBLIC,
    "MOUNT /static": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /metrics": ADMIN,  # or the BUNKO_METRICS_TOKEN bearer (tests/ops/test_metrics.py)
    "GET /login": PUBLIC,
    "POST /login": PUBLIC,
    "POST /logout": PUBLIC,
    "GET /auth/oidc/login": PUBLIC,
    "GET /auth/oidc/callback": PUBLIC,
    "GET /lang/{code}": PUBLIC,
    "GET /dates/{style}": PUBLIC,
    # documents
    "POST /api/v1/documents": AUTHENTICATED,
    "GET /api/v1/documents": AUTHENTICATED,
    "GET /api/v1/documents/{document_id}": READ,
    "PATCH /api/v1/documents/{document_id}": WRITE,
    "GET /api/v1/documents/{document_id}/content": READ,
    "POST /api/v1/documents/{document_id}/versions": WRITE,
    "GET /api/v1/documents/{document_id}/versions/{number}/content": READ,
    "GET /api/v1/documents/{document_id}/history": READ,
    "GET /api/v1/documents/{document_id}/compare": READ,
    "GET /api/v1/documents/{document_id}/corrections": READ,
    "POST /api/v1/documents/{document_id}/corrections": WRITE,
    "GET /api/v1/documents/{document_id}/derivatives/{kind}": READ,
    "GET /api/v1/documents/{document_id}/similar": READ,
    "GET /api/v1/documents/{document_id}/pages/{number}/words": READ,
    "GET /api/v1/documents/{document_id}/retention": READ,
    "GET /api/v1/documents/{document_id}/grants": ADMIN,
    "POST /api/v1/documents/{document_id}/grants": ADMIN,
    "DELETE /api/v1/documents/{document_id}/grants/{grant_id}": ADMIN,
    "POST /api/v1/documents/{document_id}/reprocess": ADMIN,
    # bulk intake: each row under the upload rules; a batch is its sender's (and admins')
    "POST /api/v1/batches": AUTHENTICATED,
    "GET /api/v1/batches/{batch_id}": AUTHENTICATED,
    "GET /api/v1/batches/{batch_id}/report.csv": AUTHENTICATED,
    "GET /api/v1/search": AUTHENTICATED,
    # events and webhooks: filtered by what the caller may see (tests/web/test_events.py)
    "GET /api/v1/events": AUTHENTICATED,
    "POST /api/v1/webhooks": AUTHENTICATED,
    "GET /api/v1/webhooks": AUTHENTICATED,
    "PATCH /api/v1/webhooks/{webhook_id}": AUTHENTICATED,
    "GET /api/v1/webhooks/{webhook_id}/deliveries": AUTHENTICATED,
    "GET /api/v1/audit": AUDIT,
    "GET /api/v1/audit/export.csv": AUDIT,
    # retention
    f"GET {R}/series": RECORDS,
    f"POST {R}/series": RECORDS,
    f"PUT {R}/series/{{code}}": RECORDS,
    f"POST {R}/series/defaults": RECORDS,
    f"GET {R}/series.csv": RECORDS,
    f"POST {R}/series/import": RECORDS,
    f"GET {R}/rules": RECORDS,
    f"POST {R}/rules": RECORDS,
    f"DELETE {R}/rules/{{rule_id}}": RECORDS,
    "PUT /api/v1/documents/{document_id}/retention": RECORDS,
    "POST /api/v1/documents/{document_id}/retention/extensions": RECORDS,
    f"GET {R}/files": RECORDS,
    f"POST {R}/files": RECORDS,
    f"GET {R}/files/{{file_id}}": RECORDS,
    f"POST {R}/files/{{file_id}}/documents": RECORDS,
    f"POST {R}/files/{{file_id}}/close": RECORDS,
    f"PUT {R}/files/{{file_id}}/event-date": RECORDS,
    f"POST {R}/files/{{file_id}}/extensions": RECORDS,
    f"GET {R}/due": RECORDS,
    f"GET {R}/register.csv": RECORDS,
    f"GET {R}/disposed.csv": RECORDS,
    f"GET {R}/disposed/{{document_id}}": RECORDS,
    f"GET {R}/holds": RECORDS,
    f"POST {R}/holds": RECORDS,
    f"GET {R}/holds/{{hold_id}}": RECORDS,
    f"POST {R}/holds/{{hold_id}}/documents": RECORDS,
    f"POST {R}/holds/{{hold_id}}/release": RECORDS,
    f"POST {R}/run": RECORDS,
    f"GET {R}/batches": RECORDS,
    f"GET {R}/batches/{{batch_id}}": RECORDS,
    f"POST {R}/batches/{{batch_id}}/review": RECORDS,
    f"POST {R}/batches/{{batch_id}}/approve": RECORDS,
    f"POST {R}/batches/{{batch_id}}/execute": RECORDS,
    f"GET {R}/batches/{{batch_id}}/certificate.{{fmt}}": RECORDS,
    f"GET {R}/batches/{{batch_id}}/transfer.zip": RECORDS,
    # disclosure
    "POST /api/v1/disclosure/requests": DISCLOSURE,
    "GET /api/v1/disclosure/requests": DISCLOSURE,
    f"GET {D}": DISCLOSURE,
    f"POST {D}/state": DISCLOSURE,
    f"POST {D}/extend": DISCLOSURE,
    f"POST {D}/pause": DISCLOSURE,
    f"POST {D}/resume": DISCLOSURE,
    f"GET {D}/consultations": DISCLOSURE,
    f"POST {D}/consultations": DISCLOSURE,
    f"POST {D}/consultations/{{consultation_id}}/answer": DISCLOSURE,
    "GET /api/v1/disclosure/dashboard": DISCLOSURE,
    "GET /api/v1/disclosure/statistics.csv": DISCLOSURE,
    f"POST {D}/records": DISCLOSURE,
    f"GET {D}/records": DISCLOSURE,
    f"GET {D}/records/{{record_id}}/redactions": DISCLOSURE,
    f"POST {D}/records/{{record_id}}/redactions": DISCLOSURE,
    f"POST {D}/records/{{record_id}}/redactions/find": DISCLOSURE,
    f"POST {D}/records/{{record_id}}/pii": DISCLOSURE,
    f"POST {D}/records/{{record_id}}/redactions/{{redaction_id}}": DISCLOSURE,
    f"GET {D}/records/{{record_id}}/preview.pdf": DISCLOSURE,
    f"POST {D}/decision": DISCLOSURE,
    f"GET {D}/notice.{{fmt}}": DISCLOSURE,
    f"POST {D}/release": DISCLOSURE,
    f"GET {D}/package.zip": DISCLOSURE,
    # pages
    "GET /": AUTHENTICATED,
    "GET /search": AUTHENTICATED,
    "GET /upload": AUTHENTICATED,
    "GET /upload/status": AUTHENTICATED,
    "GET /documents/{document_id}": READ,
    "POST /documents/{document_id}/type": WRITE,
    "POST /documents/{document_id}/versions": WRITE,
    "GET /documents/{document_id}/compare": READ,
    "POST /documents/{document_id}/metadata": WRITE,
    "POST /documents/{document_id}/fields": WRITE,
    "GET /documents/{document_id}/pages/{number}.png": READ,
    "POST /documents/{document_id}/retention/{action}": RECORDS,
    "GET /retention": RECORDS,
    "GET /retention/due": RECORDS,
    "GET /retention/forecast": RECORDS,
    "POST /retention/series": RECORDS,
    "POST /retention/series/import": RECORDS,
    "POST /retention/rules": RECORDS,
    "POST /retention/rules/{rule_id}/delete": RECORDS,
    "GET /retention/holds": RECORDS,
    "POST /retention/holds": RECORDS,
    "POST /retention/holds/{hold_id}/release": RECORDS,
    "GET /retention/batches": RECORDS,
    "POST /retention/run": RECORDS,
    "GET /retention/batches/{batch_id}": RECORDS,
    "POST /retention/batches/{batch_id}/{step}": RECORDS,
    "GET /disclosure": DISCLOSURE,
    "GET /disclosure/requests": DISCLOSURE,
    "POST /disclosure/requests": DISCLOSURE,
    "GET /disclosure/requests/{request_id}": DISCLOSURE,
    "POST /disclosure/requests/{request_id}/{action}": DISCLOSURE,
    "GET /disclosure/requests/{request_id}/records/{record_id}": DISCLOSURE,
    "GET /disclosure/requests/{request_id}/records/{record_id}/pages/{number}.png": DISCLOSURE,
    "POST /disclosure/requests/{request_id}/records/{record_id}/{action}": DISCLOSURE,
    "GET /admin/users": ADMIN,
    "POST /admin/users": ADMIN,
    "GET /admin/users/{login}": ADMIN,
    "POST /admin/users/{login}": ADMIN,
    "POST /admin/users/{login}/password": ADMIN,
    "POST /admin/users/{login}/{step}": ADMIN,
    "GET /admin/departments": ADMIN,
    "POST /admin/departments": ADMIN,
    "GET /admin/departments/{code}": ADMIN,
    "POST /admin/departments/{code}/{step}": ADMIN,
    "GET /admin/keys": ADMIN,
    "POST /admin/keys": ADMIN,
    "POST /admin/keys/{name}/revoke": ADMIN,
}
OFFICER_RULES = {RECORDS: "records", DISCLOSURE: "disclosure", AUDIT: "audit", ADMIN: "admin"}
PROBES: dict[str, dict[str, Any]] = {
    "PATCH /api/v1/documents/{document_id}": {"json": {}},
    "GET /api/v1/documents/{document_id}/compare": {"params": {"from": 1, "to": 1}},
    "GET /documents/{document_id}/compare": {"params": {"from": 1, "to": 1}},
    "PUT /api/v1/documents/{document_id}/retention": {"json": {}},
    "GET /api/v1/documents/{document_id}/pages/{number}/words": {
        "params": {"x0": 0, "y0": 0, "x1": 1, "y1": 1}
    },
    "POST /api/v1/documents/{document_id}/retention/extensions": {
        "json": {"reason": "matrix", "legal_basis": "matrix"}
    },
}
"""How the matrix calls a document route that needs a body: with one that changes nothing."""
UNPROBED = {
    "POST /documents/{document_id}/type",  # a form that retrains the classifier
    "POST /api/v1/documents/{document_id}/grants",  # grants change what the matrix expects
    "DELETE /api/v1/documents/{document_id}/grants/{grant_id}",
    "POST /api/v1/documents/{document_id}/reprocess",  # enqueues work on the shared stack
    "POST /api/v1/documents/{document_id}/versions",  # tests/web/test_versions.py (403, 404)
    "POST /documents/{document_id}/versions",  # tests/web/test_version_pages.py
    "POST /api/v1/documents/{document_id}/corrections",  # tests/web/test_corrections.py
    "POST /documents/{document_id}/metadata",  # tests/web/test_pages_in_japanese.py
    "POST /documents/{document_id}/fields",  # tests/web/test_field_places.py
}
"""Document routes the matrix leaves to their own tests (they change the shared world)."""
