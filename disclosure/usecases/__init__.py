"""Disclosure's operations, each written once: validate, change state, write the audit entry.

A use case takes the caller's ``Session`` (it never commits: the API route, page handler or
CLI command calling it is the unit of work), the ``Actor`` it acts for and, where access
matters, that caller's ``AccessScope``. Each module names its audit actions once, as
constants. The audit log is read by records officers and administrators: no requester data
goes into it.
"""
