"""The cache of the compiled vocabulary: keyed by content, rebuilt when unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

import vcfkg
from vcfkg import cache
from vcfkg.resources import ontology_path


def test_cache_is_keyed_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VCFKG_CACHE_DIR", str(tmp_path / "cache"))
    graph = tmp_path / "vcf.ttl"
    graph.write_bytes(ontology_path().read_bytes())
    vcfkg.load(graph)
    [cached] = (tmp_path / "cache").glob("compiled-*.json")
    assert cached.name == f"compiled-{cache.content_key(graph)}.json"
    # a changed graph gets a new table: rename a procedure and see it in the answer
    graph.write_text(graph.read_text().replace('"Surgical consultation"@en', '"Surgical opinion"@en'))
    assert vcfkg.load(graph).variant(8).ratings[1].procedure == "Surgical opinion"
    assert len(list((tmp_path / "cache").glob("compiled-*.json"))) == 2


def test_corrupt_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VCFKG_CACHE_DIR", str(tmp_path))
    (tmp_path / f"compiled-{cache.content_key(ontology_path())}.json").write_text("{garbage")
    assert vcfkg.load().variant(1).ratings[0].procedure == "MRI spine area of interest without IV contrast"
    rebuilt = (tmp_path / f"compiled-{cache.content_key(ontology_path())}.json").read_bytes()
    assert cache.decode(rebuilt) is not None, "the garbage was replaced by a readable table"
