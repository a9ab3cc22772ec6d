"""Fixtures of the robustness suite (its helpers are in tests/support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import Stub


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder for this test, for the API and for commands it starts."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("VCFKG_CACHE_DIR", str(folder))
    return folder
