"""Streaming batch recommendation: JSON lines in, one answer (or error object) per line out, in order."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from typing import IO

import orjson

from vcfkg.errors import InvalidPatientError
from vcfkg.kg import KnowledgeGraph, Method
from vcfkg.models import ExcludedVariant, MatchedVariant, PossibleVariant, Recommendation


def _dumps(data: object) -> str:
    return orjson.dumps(data).decode()


class AnswerWriter:
    """Serializes answers. On the compiled path the variant results are objects shared between answers (the
    matcher's memos), so their JSON is kept, keyed by the objects (held here, so their ids stay unique): first per
    combination of variant lists, else per variant result."""

    MAX_ENTRIES = 100_000

    def __init__(self) -> None:
        self.memo: dict[tuple[int, int, int], tuple[object, object, object, str]] = {}
        self.fragments: dict[int, tuple[object, str]] = {}

    def _fragment(self, item: MatchedVariant | PossibleVariant | ExcludedVariant) -> str:
        known = self.fragments.get(id(item))
        if known is None or known[0] is not item:
            if len(self.fragments) >= self.MAX_ENTRIES:
                self.fragments.clear()
            known = self.fragments[id(item)] = (item, _dumps(item.to_json()))
        return known[1]

    def __call__(self, answer: Recommendation) -> str:
        """One answer as a JSON line (without the newline), keys in the order of ``Recommendation.to_json``."""
        key = (id(answer.matched), id(answer.possible), id(answer.excluded))
        known = self.memo.get(key)
        if known is None or known[0] is not answer.matched:
            if len(self.memo) >= self.MAX_ENTRIES:
                self.memo.clear()
            matched = ",".join([self._fragment(v) for v in answer.matched])
            possible = ",".join([self._fragment(v) for v in answer.possible])
            excluded = ",".join([self._fragment(v) for v in answer.excluded])
            conflicts = _dumps([c.to_json() for c in answer.conflicts])
            variants = (
                f'{{"matched":[{matched}],"possible":[{possible}],"excluded":[{excluded}],"conflicts":{conflicts}'
            )
            known = self.memo[key] = (answer.matched, answer.possible, answer.excluded, variants)
        red_flags = _dumps([flag.to_json() for flag in answer.red_flags]) if answer.red_flags else "[]"
        sins = _dumps(answer.sins.to_json()) if answer.sins is not None else "null"
        return f'{known[3]},"red_flags":{red_flags},"sins":{sins}}}'


class Progress:
    """A progress bar on stderr: the bytes read of the input file's size, or a line count for a stream."""

    WIDTH = 30

    def __init__(self, source: IO[str]) -> None:
        self.size = 0
        try:
            info = os.fstat(source.fileno())
            self.raw = source.buffer.raw  # type: ignore[attr-defined]
            self.size = info.st_size if stat.S_ISREG(info.st_mode) else 0
        except (AttributeError, OSError, ValueError):  # a stream without a file behind it
            pass

    def __call__(self, count: int) -> None:
        """Redraw the bar after ``count`` patients."""
        if self.size:
            done = min(self.raw.tell() / self.size, 1.0)
            bar = "#" * int(done * self.WIDTH)
            sys.stderr.write(f"\rvcfkg: [{bar:<{self.WIDTH}}] {done:4.0%}  {count} patients")
        else:
            sys.stderr.write(f"\rvcfkg: {count} patients")
        sys.stderr.flush()


def run(
    kg: KnowledgeGraph,
    source: IO[str],
    target: IO[str],
    *,
    method: Method = "compiled",
    progress: bool = False,
) -> tuple[int, int]:
    """Answer every line of ``source`` into ``target``; returns (lines, lines with errors)."""
    report: Callable[[int], None] | None = Progress(source) if progress else None
    write_answer = AnswerWriter() if method == "compiled" else (lambda answer: _dumps(answer.to_json(notice=False)))
    total = failed = 0
    for number, line in enumerate(source, 1):
        total = number
        try:
            if not line.strip():
                raise InvalidPatientError("patient", "line is empty; expected a JSON object")
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise InvalidPatientError("patient", f"not valid JSON: {error}") from None
            text = write_answer(kg.recommend(data, method=method))
        except InvalidPatientError as error:
            failed += 1
            text = _dumps({"line": number, "error": str(error), "field": error.field})
        target.write(text + "\n")
        if report is not None and number % 1000 == 0:
            report(number)
    if report is not None:
        report(total)
        sys.stderr.write("\n")
    return total, failed
