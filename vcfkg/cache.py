"""The cache: the compiled vocabulary on disk, keyed by the graph's content checksum and vcfkg's queries.

It is rebuilt whenever the graph changes (by content) or the queries do (by name, size and time), is never
edited by hand, and lives in the user's cache folder (``$VCFKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/vcfkg``, else
``~/.cache/vcfkg``; with no home folder, no cache). Set ``VCFKG_CACHE_DIR=off`` to disable it.

It is only a cache: a file that is not exactly what vcfkg wrote (another kind of file, too large, a checksum
that does not match, any shape :meth:`Compiled.from_json` refuses) is a miss and is written again; a cache that
cannot be written is ignored; temporary files left by an interrupted write are removed by the next one.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from vcfkg.compiled import FORMAT_VERSION, Compiled
from vcfkg.resources import queries_dir

MAX_BYTES = 16 * 1024 * 1024  # the table is about 100 KB
STALE_SECONDS = 60  # a temporary file this old belongs to a write that was killed


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off or there is no home folder to put it in."""
    configured = os.environ.get("VCFKG_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG specification ignores relative paths
        return Path(xdg) / "vcfkg"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
        return None
    if not home.is_absolute() or home == Path("/"):  # HOME='' or HOME=/ : nowhere of the user's own
        return None
    return home / ".cache" / "vcfkg"


def _query_stamps(folder: str) -> list[str]:
    """Name, size and modification time of every query file (cheaper than reading them at each start)."""
    stamps = []
    for entry in os.scandir(folder):
        if entry.is_dir():
            stamps.extend(_query_stamps(entry.path))
        elif entry.name.endswith(".rq"):
            info = entry.stat()
            stamps.append(f"{entry.path} {info.st_size} {info.st_mtime_ns}")
    return sorted(stamps)


def content_key(graph: Path) -> str:
    """The graph's size and CRC-32 checksum, and one of the compiled format and the queries' stamps.

    A checksum, not a cryptographic hash: it guards a cache against edits, not against an adversary, and zlib
    starts in microseconds where hashlib's OpenSSL module takes milliseconds.
    """
    content = graph.read_bytes()
    stamps = "\n".join([f"format {FORMAT_VERSION}", *_query_stamps(str(queries_dir()))]).encode()
    return f"{len(content):x}-{zlib.crc32(content):08x}-{zlib.crc32(stamps):08x}"


def _read(path: Path) -> bytes | None:
    """The file's bytes if it is a regular file of at most MAX_BYTES (never blocks on a FIFO or a device)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(handle, "rb", closefd=False) as file:
            return file.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(handle)


def decode(content: bytes) -> Compiled | None:
    """The table in a cache file: a CRC-32 line, then the JSON it checks; None for anything else."""
    checksum, _, body = content.partition(b"\n")
    if checksum != b"%08x" % zlib.crc32(body):
        return None
    try:
        return Compiled.from_json(json.loads(body))
    except Exception:  # a cache file of any other shape is a miss, whatever from_json trips on
        return None


def _encode(compiled: Compiled) -> bytes:
    body = json.dumps(compiled.to_json()).encode()
    return b"%08x\n" % zlib.crc32(body) + body


def _remove_stale_temporaries(folder: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)


def _write(folder: Path, name: str, content: bytes) -> None:
    """Write atomically (temporary file, then rename); on any failure leave nothing behind."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(folder)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix="compiled-", suffix=".tmp")
    except OSError:
        return
    try:
        with open(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, folder / name)
    except OSError:  # a full disk: no cache this time
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def load_or_compile(graph: Path, compile_vocabulary: Callable[[], Compiled]) -> Compiled:
    """The cached compiled vocabulary for this graph, or a freshly compiled one (then cached)."""
    folder = cache_dir()
    try:
        key = content_key(graph)
    except OSError:
        return compile_vocabulary()  # the engine will report the unreadable graph with its own message
    name = f"compiled-{key}.json"
    if folder is not None:
        content = _read(folder / name)
        if content is not None:
            cached = decode(content)
            if cached is not None:
                return cached
    compiled = compile_vocabulary()
    if folder is not None:
        _write(folder, name, _encode(compiled))
    return compiled
