"""Streaming batch recommendation: JSON lines in, one answer (or error object) per line out, in order."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import IO, Any

from vcfkg.errors import InvalidPatientError
from vcfkg.kg import EngineChoice, KnowledgeGraph

try:
    import orjson

    def _loads(line: str) -> Any:
        return orjson.loads(line)

    def _dumps(data: object) -> str:
        return orjson.dumps(data).decode()

    DECODE_ERROR: type[Exception] = orjson.JSONDecodeError
except ImportError:  # orjson is optional; the standard library gives the same output
    _loads = json.loads

    def _dumps(data: object) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    DECODE_ERROR = json.JSONDecodeError


def _progress(count: int) -> None:
    sys.stderr.write(f"\rvcfkg: {count} patients")
    sys.stderr.flush()


def run(
    kg: KnowledgeGraph,
    source: IO[str],
    target: IO[str],
    *,
    engine: EngineChoice = "compiled",
    progress: bool = False,
) -> tuple[int, int]:
    """Answer every line of ``source`` into ``target``; returns (lines, lines with errors)."""
    report: Callable[[int], None] | None = _progress if progress else None
    total = failed = 0
    for number, line in enumerate(source, 1):
        total = number
        try:
            if not line.strip():
                raise InvalidPatientError("patient", "line is empty; expected a JSON object")
            try:
                data = _loads(line)
            except DECODE_ERROR as error:
                raise InvalidPatientError("patient", f"not valid JSON: {error}") from None
            answer: dict[str, Any] = kg.recommend(data, engine=engine).to_json()
        except InvalidPatientError as error:
            failed += 1
            answer = {"line": number, "error": str(error), "field": error.field}
        target.write(_dumps(answer) + "\n")
        if report is not None and number % 1000 == 0:
            report(number)
    if report is not None:
        report(total)
        sys.stderr.write("\n")
    return total, failed
