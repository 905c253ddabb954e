"""The gate that keeps each audit action in one place (``scripts/audit_actions.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "audit_actions", ROOT / "scripts/audit_actions.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_audit_action_of_the_source_is_written_once() -> None:
    twins, spliced = _gate().check(ROOT / p for p in _gate().PACKAGES)
    assert twins == {} and spliced == []


def test_the_gate_names_a_second_copy_and_a_spliced_action(tmp_path: Path) -> None:
    """GIVEN an action named as a constant, written again as a literal elsewhere, and an
    f-string action; WHEN the gate scans; THEN it names both places and the f-string."""
    (tmp_path / "cases.py").write_text('PLACE = "retention.hold.place"\nNAME = "manifest.json"\n')
    (tmp_path / "route.py").write_text(
        "def f(session, actor, step):\n"
        '    deny(session, actor, "retention.hold.place", None)\n'
        '    record(session, actor=actor, action=f"retention.batch.{step}")\n'
        '    return "manifest.json", "retention.unrelated"\n'
    )
    twins, spliced = _gate().check([tmp_path])
    assert twins == {"retention.hold.place": [f"{tmp_path}/cases.py:1", f"{tmp_path}/route.py:2"]}
    assert spliced == [f"{tmp_path}/route.py:3"]
    assert _gate().main([str(tmp_path)]) == 1
