"""A cache of the compiled decision table, keyed by the content hash of the graph and of vcfkg's queries.

It is rebuilt whenever the graph or the queries change, never edited by hand, and lives in the user's cache
folder (``$VCFKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/vcfkg``, else ``~/.cache/vcfkg``). Set
``VCFKG_CACHE_DIR=off`` to disable it. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from vcfkg.compiled import FORMAT_VERSION, Compiled
from vcfkg.resources import queries_dir


def cache_dir() -> Path | None:
    configured = os.environ.get("VCFKG_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vcfkg"


def content_key(graph: Path) -> str:
    """Hash of the graph file, the queries and the table format: any change gives a new key."""
    digest = hashlib.sha256(f"format {FORMAT_VERSION}\n".encode())
    digest.update(graph.read_bytes())
    for query in sorted(queries_dir().rglob("*.rq")):
        digest.update(query.as_posix().encode())
        digest.update(query.read_bytes())
    return digest.hexdigest()[:32]


def load_or_compile(graph: Path, compile_table: Callable[[], Compiled]) -> Compiled:
    """The cached table for this graph, or a freshly compiled one (then cached)."""
    folder = cache_dir()
    try:
        key = content_key(graph)
    except OSError:
        return compile_table()  # the engine will report the unreadable graph with its own message
    if folder is not None:
        try:
            return Compiled.from_json(json.loads((folder / f"compiled-{key}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    compiled = compile_table()
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8") as out:
                json.dump(compiled.to_json(), out)
            os.replace(out.name, folder / f"compiled-{key}.json")
        except OSError:
            pass
    return compiled
