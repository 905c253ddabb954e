"""Gate: each audit action string is written once in the source.

An operation that is written once (its use case) names its audit action once; a second copy
of the string means a second copy of the operation (or of its audit entry), and they drift.
An audit action is a string that is passed as ``action=`` to ``record``, given to a refusal
helper (``deny``, ``denials``, ``readable_document``, ...), or bound to a module-level
constant with a dotted lower-case value (how use cases name their actions). Every other
occurrence of the same string in the source counts as a copy. An f-string passed as
``action=`` to ``record`` is refused too: it splices actions that grep cannot find.

Usage: python scripts/audit_actions.py [PACKAGE_DIR ...]   (exit 1 and a list on failure)
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

PACKAGES = ("archive", "ingest", "search", "retention", "disclosure", "web")
ACTION = re.compile(r"[a-z_]+(\.[a-z_]+)+")
FILE_NAME = re.compile(r".*\.(json|csv|txt|pdf|zip|xml|html|png|docx|py)")
REFUSALS = frozenset({"deny", "denials", "readable_document", "writable_document"})
Place = str


def _sources(roots: Iterable[Path]) -> Iterator[Path]:
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        found = ACTION.fullmatch(node.value) and not FILE_NAME.fullmatch(node.value)
        return node.value if found else None
    return None


def _declared(tree: ast.Module) -> Iterator[str | None]:
    """Module-level ``NAME = "a.b"`` constants."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and t.id.isupper() for t in node.targets
        ):
            yield _text(node.value)


def _used(tree: ast.Module, place: str, spliced: list[Place]) -> Iterator[str | None]:
    """Actions given to ``record`` or to a refusal helper; f-string actions go to ``spliced``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name == "record":
            for keyword in node.keywords:
                if keyword.arg == "action":
                    if isinstance(keyword.value, ast.JoinedStr):
                        spliced.append(f"{place}:{keyword.value.lineno}")
                    yield _text(keyword.value)
        elif name in REFUSALS:
            yield from (_text(arg) for arg in node.args)


def _literals(tree: ast.Module, place: str) -> Iterator[tuple[str, Place]]:
    for node in ast.walk(tree):
        if (text := _text(node)) is not None:
            yield text, f"{place}:{node.lineno}"


def check(roots: Iterable[Path]) -> tuple[dict[str, list[Place]], list[Place]]:
    """``({action: [every place it is written]} for actions written more than once, [places
    where record() is given an f-string])``."""
    trees = {str(p): ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in _sources(roots)}
    spliced: list[Place] = []
    actions = {
        a
        for place, tree in trees.items()
        for a in (*_declared(tree), *_used(tree, place, spliced))
        if a is not None
    }
    places: dict[str, list[Place]] = defaultdict(list)
    for place, tree in trees.items():
        for text, where in _literals(tree, place):
            if text in actions:
                places[text].append(where)
    return {a: p for a, p in sorted(places.items()) if len(p) > 1}, spliced


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path(p) for p in PACKAGES]
    twins, spliced = check(roots)
    for action, where in twins.items():
        print(f"audit action {action!r} is written {len(where)} times: {', '.join(where)}")
    for where in spliced:
        print(f"{where}: record(action=f'...') hides the action from grep: name it once")
    return 1 if twins or spliced else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
