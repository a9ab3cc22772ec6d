"""Shared fixtures: the shipped graph in both embedded engines, and the hand transcription of the tables."""

from __future__ import annotations

import os
import tempfile

import pytest

# Keep the compiled-vocabulary cache of the test run away from the user's cache folder.
os.environ.setdefault("VCFKG_CACHE_DIR", tempfile.mkdtemp(prefix="vcfkg-test-cache-"))

from support import read_tsv

import vcfkg


@pytest.fixture(scope="session")
def kg() -> vcfkg.KnowledgeGraph:
    return vcfkg.load()


@pytest.fixture(scope="session")
def rdflib_kg() -> vcfkg.KnowledgeGraph:
    return vcfkg.load(store="rdflib")


@pytest.fixture(scope="session")
def printed_ratings() -> list[dict[str, str]]:
    """tests/data/ratings.tsv: the 71 rows of the printed tables, typed by hand from the source."""
    return read_tsv("ratings.tsv")
