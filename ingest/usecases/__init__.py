"""A document's operations, each written once: validate, change state, write the audit entry.

As in ``retention.usecases``: a use case takes the caller's ``Session`` (never committing:
the API route, page handler or CLI command is the unit of work) and the caller it acts
for; each module names its audit actions once, as constants.
"""
