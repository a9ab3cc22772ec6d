"""Streaming batch recommendation: JSON lines in, one answer (or error object) per line out, in order."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

import orjson

from vcfkg import interrupt
from vcfkg.errors import InvalidArgumentError, InvalidPatientError
from vcfkg.jsontext import JsonTextError, duplicate_keys_possible, loads
from vcfkg.kg import KnowledgeGraph, Method
from vcfkg.models import ExcludedVariant, MatchedVariant, PossibleVariant, Recommendation

MAX_LINE_BYTES = 1024 * 1024  # of one input line; a patient description is a few hundred bytes


def _dumps(data: object) -> str:
    return orjson.dumps(data).decode()


class AnswerWriter:
    """Serializes answers. On the compiled path the variant results are objects shared between answers (the
    matcher's memos), so their JSON is kept, keyed by the objects (held here, so their ids stay unique): first per
    combination of variant lists, else per variant result."""

    MAX_ENTRIES = 4096  # answers are ~3 KB of JSON: a bounded memo keeps the batch within ~100 MB

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

    def __init__(self, source: BinaryIO) -> None:
        self.size = 0
        self.source = source
        try:
            info = os.fstat(source.fileno())
            self.size = info.st_size if stat.S_ISREG(info.st_mode) else 0
        except (AttributeError, OSError, ValueError):  # a stream without a file behind it
            pass

    def __call__(self, count: int) -> None:
        """Redraw the bar after ``count`` patients."""
        if self.size:
            done = min(self.source.tell() / self.size, 1.0)
            bar = "#" * int(done * self.WIDTH)
            sys.stderr.write(f"\rvcfkg: [{bar:<{self.WIDTH}}] {done:4.0%}  {count} patients")
        else:
            sys.stderr.write(f"\rvcfkg: {count} patients")
        sys.stderr.flush()


def lines(source: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """The lines of ``source`` split at b"\\n" only (a bare \\r is JSON whitespace); a line longer than
    ``limit`` bytes is read to its end and given as None."""
    while True:
        line = source.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := source.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _decode(line: bytes | None) -> object:
    """One batch line as JSON, with the checks of a single patient file (duplicate keys, sizes)."""
    if line is None:
        raise InvalidPatientError("patient", f"line is longer than {MAX_LINE_BYTES:,} bytes")
    if not line.strip():
        raise InvalidPatientError("patient", "line is empty; expected a JSON object")
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        problem = "not UTF-8 text" if "utf-8" in str(error).lower() else f"not valid JSON: {error}"
        raise InvalidPatientError("patient", problem) from None
    if duplicate_keys_possible(line, data):
        try:
            data = loads(line)
        except JsonTextError as error:
            raise InvalidPatientError("patient", str(error)) from None
    return data


def run(
    kg: KnowledgeGraph,
    source: BinaryIO,
    target: BinaryIO,
    *,
    method: Method = "compiled",
    progress: bool = False,
) -> tuple[int, int]:
    """Answer every line of ``source`` into ``target`` (bytes, UTF-8); returns (lines, lines with errors).

    Lines are split at ``\\n`` only; each gives exactly one output line, in order: its answer, or an error
    object ``{"line": n, "error": ..., "field": ...}`` (invalid JSON or UTF-8, an over-long line, a bad patient).
    """
    report: Callable[[int], None] | None = Progress(source) if progress else None
    write_answer = AnswerWriter() if method == "compiled" else (lambda answer: _dumps(answer.to_json(notice=False)))
    total = failed = 0
    for number, line in enumerate(lines(source), 1):
        total = number
        try:
            text = write_answer(kg.recommend(kg.parse_patient(_decode(line)), method=method))
        except InvalidPatientError as error:
            failed += 1
            text = _dumps({"line": number, "error": str(error), "field": error.field})
        target.write(text.encode() + b"\n")
        if report is not None and number % 1000 == 0:
            report(number)
    if report is not None:
        report(total)
        sys.stderr.write("\n")
    return total, failed


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def run_to_file(
    kg: KnowledgeGraph,
    source: BinaryIO,
    output: str,
    *,
    method: Method = "compiled",
    progress: bool = False,
) -> tuple[int, int]:
    """:func:`run` into the file ``output``, which is never the input and never left half-written.

    A regular file (or a new one) is written as a temporary file beside it and renamed at the end, so that
    ``output`` holds either its old content or every answer; a device or pipe (``/dev/stdout``) is written as is.
    """
    try:
        out_info: os.stat_result | None = os.stat(output)
    except FileNotFoundError:
        out_info = None
    except OSError as error:
        raise InvalidArgumentError(f"--output {output}: cannot write: {error.strerror}") from None
    try:
        in_info = os.fstat(source.fileno())
    except (AttributeError, OSError, ValueError):
        in_info = None
    if out_info is not None and in_info is not None and os.path.samestat(in_info, out_info):
        raise InvalidArgumentError(f"--output {output}: is the input file; write the answers to another file")
    if out_info is not None and not stat.S_ISREG(out_info.st_mode):
        if stat.S_ISDIR(out_info.st_mode):
            raise InvalidArgumentError(f"--output {output}: is a folder")
        with open(output, "wb") as target:
            return run(kg, source, target, method=method, progress=progress)
    folder = os.path.dirname(os.path.abspath(output))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".vcfkg-", suffix=".tmp")
    except OSError as error:
        raise InvalidArgumentError(f"--output {output}: cannot write in {folder}: {error.strerror}") from None
    try:
        with interrupt.remove_on_interrupt(temporary), open(handle, "wb") as target:
            counts = run(kg, source, target, method=method, progress=progress)
            target.flush()
            os.fsync(target.fileno())
        os.chmod(temporary, stat.S_IMODE(out_info.st_mode) if out_info is not None else 0o666 & ~_umask())
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return counts
