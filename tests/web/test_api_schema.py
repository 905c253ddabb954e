"""The REST API fuzzed from its own ``/openapi.json``: every operation outside the
retention and disclosure tags (documents, intake, search, events, audit, operations).

The fuzzing and its checks: tests/web/api_fuzz.py.
"""

from pathlib import Path

from tests.web.api_fuzz import MODULE, SPLIT_TAGS, fuzzing_test

test_api_answers_only_what_it_declares = fuzzing_test(__name__)


def test_every_split_tag_has_its_module() -> None:
    """GIVEN the tags fuzzed apart THEN each has its module: no tag's operations drop out."""
    here = Path(__file__).parent
    assert [tag for tag in SPLIT_TAGS if not (here / f"{MODULE}_{tag}.py").is_file()] == []
