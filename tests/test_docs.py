"""The documentation runs: the README's Python examples and the docstring examples of the API."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert PYTHON_BLOCKS


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"block-{i}" for i in range(len(PYTHON_BLOCKS))])
def test_readme_python_example_runs(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {}
    exec(compile(block, str(README), "exec"), namespace)
    answer = namespace.get("answer")
    if answer is not None:  # the values the comments promise
        assert [m.variant for m in answer.matched] == [6, 8]  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", ["vcfkg", "vcfkg.kg", "vcfkg.patient"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
