"""Retention's operations, each written once: validate, change state, write the audit entry.

A use case takes the caller's ``Session`` (it never commits: the API route, page handler or
CLI command that calls it is the unit of work and commits), the ``Actor`` it acts for and,
where access matters, that caller's ``AccessScope``. Each module names its audit actions
once, as constants; entry points refer to them (e.g. to record a denial).
"""
