"""Shared fixtures: the shipped graph in both embedded engines, and the hand transcription of the tables."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pytest

# Keep the decision-table cache of the test run away from the user's cache folder.
os.environ.setdefault("VCFKG_CACHE_DIR", tempfile.mkdtemp(prefix="vcfkg-test-cache-"))

import vcfkg

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def kg() -> vcfkg.KnowledgeGraph:
    return vcfkg.load()


@pytest.fixture(scope="session")
def rdflib_kg() -> vcfkg.KnowledgeGraph:
    return vcfkg.load(store="rdflib")


def read_tsv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="session")
def printed_ratings() -> list[dict[str, str]]:
    """tests/data/ratings.tsv: the 71 rows of the printed tables, typed by hand from the source."""
    return read_tsv("ratings.tsv")
