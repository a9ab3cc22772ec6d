"""The documentation runs: the README's Python examples and the docstring examples of the API."""

from __future__ import annotations

import ast
import doctest
import importlib
import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert PYTHON_BLOCKS


def _promised_value(comment: str) -> tuple[bool, object]:
    """The Python value a ``# comment`` promises (the comment, or its part before ':'), if it is a literal."""
    for text in (comment, comment.split(":", 1)[0]):
        try:
            return True, ast.literal_eval(text.strip())
        except (ValueError, SyntaxError):
            continue
    return False, None


def _agrees(got: object, promised: object) -> bool:
    """Equal, where '...' in a promised string stands for any text (as doctest's ELLIPSIS)."""
    if isinstance(got, str) and isinstance(promised, str) and "..." in promised:
        pattern = ".*".join(re.escape(part) for part in promised.split("..."))
        return re.fullmatch(pattern, got, flags=re.DOTALL) is not None
    return got == promised


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"block-{i}" for i in range(len(PYTHON_BLOCKS))])
def test_readme_python_example_runs(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each block runs; an expression whose comment is a Python value has that value, and what the block prints is
    exactly what the comments of its print() lines say."""
    lines = block.splitlines()
    namespace: dict[str, object] = {}
    for statement in ast.parse(block).body:
        code = ast.Module(body=[statement], type_ignores=[])
        _, sep, comment = lines[statement.end_lineno - 1].partition("  # ")  # type: ignore[operator]
        promised, value = _promised_value(comment) if sep else (False, None)
        if isinstance(statement, ast.Expr) and promised:
            got = eval(compile(ast.Expression(statement.value), str(README), "eval"), namespace)
            assert _agrees(got, value), f"README: {ast.unparse(statement)} is {got!r}, the comment says {value!r}"
        else:
            exec(compile(code, str(README), "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    promised_prints = [line.partition("  # ")[2] for line in lines if "print(" in line and "  # " in line]
    assert printed == promised_prints
    answer = namespace.get("answer")
    if answer is not None:  # the values the comments promise
        assert [m.variant for m in answer.matched] == [6, 8]  # type: ignore[attr-defined]


PACKAGE = Path(__file__).parent.parent / "vcfkg"
WITH_EXAMPLES = sorted(
    "vcfkg" if path.stem == "__init__" else f"vcfkg.{path.stem}"
    for path in PACKAGE.glob("*.py")
    if ">>> " in path.read_text(encoding="utf-8")
)


def test_the_api_modules_have_examples() -> None:
    assert {"vcfkg", "vcfkg.kg", "vcfkg.patient"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("module", WITH_EXAMPLES)
def test_docstring_examples(module: str) -> None:
    """Every module with a docstring example runs it (found by its ``>>>``, so a new example is run too)."""
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
