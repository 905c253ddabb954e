"""The REST API fuzzed from its own ``/openapi.json``: the operations tagged ``retention``.

The fuzzing and its checks: tests/web/api_fuzz.py.
"""

from tests.web.api_fuzz import fuzzing_test

test_retention_api_answers_only_what_it_declares = fuzzing_test(__name__)
