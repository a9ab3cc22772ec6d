"""The cache: the compiled vocabulary on disk, keyed by the graph's content checksum and vcfkg's queries.

It is rebuilt whenever the graph changes (by content) or the queries do (by name, size and time), is never
edited by hand, and lives in the user's cache folder (``$VCFKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/vcfkg``, else
``~/.cache/vcfkg``). Set ``VCFKG_CACHE_DIR=off`` to disable it. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from vcfkg.compiled import FORMAT_VERSION, Compiled
from vcfkg.resources import queries_dir


def cache_dir() -> Path | None:
    """The cache folder, or None when ``VCFKG_CACHE_DIR=off`` disables the cache."""
    configured = os.environ.get("VCFKG_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vcfkg"


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


def load_or_compile(graph: Path, compile_vocabulary: Callable[[], Compiled]) -> Compiled:
    """The cached compiled vocabulary for this graph, or a freshly compiled one (then cached)."""
    folder = cache_dir()
    try:
        key = content_key(graph)
    except OSError:
        return compile_vocabulary()  # the engine will report the unreadable graph with its own message
    if folder is not None:
        try:
            return Compiled.from_json(json.loads((folder / f"compiled-{key}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    compiled = compile_vocabulary()
    if folder is not None:
        try:
            import tempfile

            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8") as out:
                json.dump(compiled.to_json(), out)
            os.replace(out.name, folder / f"compiled-{key}.json")
        except OSError:
            pass
    return compiled
