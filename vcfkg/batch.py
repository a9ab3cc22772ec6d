"""Streaming batch recommendation: JSON lines in, one answer (or error object) per line out, in order."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import orjson

from vcfkg import interrupt
from vcfkg.errors import InvalidArgumentError, InvalidPatientError
from vcfkg.jsontext import JsonTextError, duplicate_keys_possible, loads
from vcfkg.kg import KnowledgeGraph, Method
from vcfkg.models import ExcludedVariant, MatchedVariant, PossibleVariant, Recommendation, RedFlagHit, SinsResult

MAX_LINE_BYTES = 1024 * 1024  # of one input line; a patient description is a few hundred bytes


class AnswerWriter:
    """Serializes answers to JSON lines (UTF-8 bytes). On the compiled path the variant results are objects
    shared between answers (the matcher's memos), so their JSON is kept, keyed by the objects (held here, so their
    ids stay unique): per variant result (``fragments``) and per conflicts tuple (``conflicts``); red flags and
    SINS results are kept by value."""

    MAX_COMBINATIONS = 1024  # of conflicts, red flags and SINS results: their JSON is up to a few KB each
    MAX_FRAGMENTS = 65_536  # a variant result is a few hundred bytes; a batch meets a few thousand

    def __init__(self) -> None:
        self.fragments: dict[int, tuple[object, bytes]] = {}
        self.conflicts: dict[int, tuple[object, bytes]] = {}
        self.red_flags: dict[tuple[RedFlagHit, ...], bytes] = {}  # by value: few combinations of flags
        self.sins: dict[SinsResult, bytes] = {}

    def _joined(
        self, items: tuple[MatchedVariant, ...] | tuple[PossibleVariant, ...] | tuple[ExcludedVariant, ...]
    ) -> bytes:
        """The JSON of a list of variant results, each serialized once."""
        fragments = self.fragments
        texts = []
        for item in items:
            known = fragments.get(id(item))
            if known is None or known[0] is not item:
                if len(fragments) >= self.MAX_FRAGMENTS:
                    fragments.clear()
                known = fragments[id(item)] = (item, orjson.dumps(item.to_json()))
            texts.append(known[1])
        return b",".join(texts)

    def __call__(self, answer: Recommendation) -> bytes:
        """One answer as a JSON line, keys in the order of ``Recommendation.to_json``, with its newline."""
        conflicts = b"[]"
        if answer.conflicts:
            kept = self.conflicts.get(id(answer.conflicts))  # the matcher keeps them per matched combination
            if kept is None or kept[0] is not answer.conflicts:
                if len(self.conflicts) >= self.MAX_COMBINATIONS:
                    self.conflicts.clear()
                kept = self.conflicts[id(answer.conflicts)] = (
                    answer.conflicts,
                    orjson.dumps([c.to_json() for c in answer.conflicts]),
                )
            conflicts = kept[1]
        red_flags = b"[]"
        if answer.red_flags:
            red_flags = self.red_flags.get(answer.red_flags) or self._kept(
                self.red_flags, answer.red_flags, [flag.to_json() for flag in answer.red_flags]
            )
        sins = b"null"
        if answer.sins is not None:
            sins = self.sins.get(answer.sins) or self._kept(self.sins, answer.sins, answer.sins.to_json())
        return b'{"matched":[%b],"possible":[%b],"excluded":[%b],"conflicts":%b,"red_flags":%b,"sins":%b}\n' % (
            self._joined(answer.matched),
            self._joined(answer.possible),
            self._joined(answer.excluded),
            conflicts,
            red_flags,
            sins,
        )

    def _kept(self, memo: dict[Any, bytes], key: object, data: object) -> bytes:
        """``data`` as JSON, kept in ``memo`` under ``key`` (a value, not an object's id)."""
        if len(memo) >= self.MAX_COMBINATIONS:
            memo.clear()
        text = memo[key] = orjson.dumps(data)
        return text


def _sparql_line(answer: Recommendation) -> bytes:
    """One answer of the SPARQL path as a JSON line (its objects are new for every answer: nothing to keep)."""
    return orjson.dumps(answer.to_json(notice=False)) + b"\n"


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
    write_answer: Callable[[Recommendation], bytes] = AnswerWriter() if method == "compiled" else _sparql_line
    total = failed = 0
    for number, line in enumerate(lines(source), 1):
        total = number
        try:
            text = write_answer(kg.recommend(kg.parse_patient(_decode(line)), method=method))
        except InvalidPatientError as error:
            failed += 1
            text = orjson.dumps({"line": number, "error": str(error), "field": error.field}) + b"\n"
        target.write(text)
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
