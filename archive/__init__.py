"""The archive core: documents, versions, blobs, API keys, audit log, database."""

from archive.apikeys import InvalidApiKey, authenticate_api_key, create_api_key
from archive.audit import Actor, record
from archive.blobs import BlobStore, open_blob_store
from archive.db import make_engine, make_session_factory, translate_db_errors, upgrade
from archive.documents import (
    DocumentFilter,
    DocumentMetadata,
    Page,
    StagedContent,
    UploadOutcome,
    UploadResult,
    create_document,
    find_prior_upload,
    get_document,
    list_documents,
)
from archive.errors import (
    ArchiveError,
    BackendUnavailable,
    BlobIntegrityError,
    BlobNotFound,
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    InvalidInput,
    NotReadable,
    RecordNotFound,
    StorageUnavailable,
    UploadTooLarge,
)
from archive.models import ApiKey, Department, Document, DocumentStatus, DocumentVersion

__all__ = [
    "Actor",
    "ApiKey",
    "ArchiveError",
    "BackendUnavailable",
    "BlobIntegrityError",
    "BlobNotFound",
    "BlobStore",
    "Conflict",
    "DatabaseUnavailable",
    "Department",
    "Document",
    "DocumentFilter",
    "DocumentMetadata",
    "DocumentStatus",
    "DocumentVersion",
    "Forbidden",
    "InvalidApiKey",
    "InvalidInput",
    "NotReadable",
    "Page",
    "RecordNotFound",
    "StagedContent",
    "StorageUnavailable",
    "UploadOutcome",
    "UploadResult",
    "UploadTooLarge",
    "authenticate_api_key",
    "create_api_key",
    "create_document",
    "find_prior_upload",
    "get_document",
    "list_documents",
    "make_engine",
    "make_session_factory",
    "open_blob_store",
    "record",
    "translate_db_errors",
    "upgrade",
]
