"""The REST API fuzzed from its own ``/openapi.json``: every operation outside the
retention and disclosure tags (documents, intake, search, events, audit, operations).

The fuzzing and its checks: tests/web/api_fuzz.py.
"""

from tests.web.api_fuzz import SPLIT_TAGS, fuzzing_test

test_api_answers_only_what_it_declares = fuzzing_test(lambda schema: schema.exclude(tag=SPLIT_TAGS))
