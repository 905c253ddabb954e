"""Parsing untrusted XML: no DTD, no entities, no network, bounded size and depth.

The rules of ``defusedxml`` (forbid DTDs, entities and external references) applied with
lxml's own parser options, so a hostile file (XXE, billion laughs, a remote schema) is
refused with a reason instead of being expanded or fetched.
"""

from __future__ import annotations

import re
from contextlib import suppress

from lxml import etree

from ingest.errors import ContentTooLarge, CorruptContent, UnsupportedContent

MAX_XML_BYTES = 32 << 20
"""An e-invoice with embedded attachments stays well under this (Peppol caps messages at 100 MB
across all parts; XRechnung recommends far less)."""


_DOCTYPE = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?.*?\?>)\s*)*<!DOCTYPE", re.S
)
"""A document type declaration in the prologue (where XML allows one), after any comments."""


def _parser() -> etree.XMLParser:
    # huge_tree=False keeps libxml2's limits: 10 MB per text node, depth 256.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes, what: str, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of ``data``; ``what`` names the XML in error reasons.

    Raises ``ContentTooLarge`` over ``max_bytes``, ``UnsupportedContent`` for a document
    type declaration (the carrier of entity attacks; no e-invoice standard uses one) and
    ``CorruptContent`` for XML that is not well-formed.
    """
    if len(data) > max_bytes:
        raise ContentTooLarge(f"{what} exceeds {max_bytes:,} bytes")
    if _DOCTYPE.match(data):
        raise _refused(what)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise CorruptContent(f"{what} is not well-formed XML: {exc}") from None
    if root is None:
        raise CorruptContent(f"{what} has no root element")
    if root.getroottree().docinfo.doctype:  # a prologue the pattern did not foresee
        raise _refused(what)
    return root


def _refused(what: str) -> UnsupportedContent:
    return UnsupportedContent(
        f"{what} declares a DOCTYPE: entities and DTDs are refused in e-invoices"
    )


def root_name(head: bytes) -> str | None:
    """The qualified name ``{namespace}local`` of the first element in ``head`` (the start of
    a file), or None if ``head`` does not start an XML document."""
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    reader = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    # An error past the root's start (a cut head, an entity attack) leaves the root known.
    with suppress(etree.XMLSyntaxError):
        reader.feed(head)
    for _event, element in reader.read_events():
        return str(element.tag)
    return None
