"""The wheel ships the data folders and an installed copy works from any directory, like the checkout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DATA_FOLDERS = ("ontology", "queries", "shapes", "mappings", "scenarios", "contexts")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("vcfkg-*.whl")
    return built


def test_wheel_contains_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in DATA_FOLDERS:
        source = [p for p in (ROOT / folder).rglob("*") if p.is_file()] if (ROOT / folder).is_dir() else []
        for path in source:
            assert f"vcfkg/data/{path.relative_to(ROOT).as_posix()}" in names, f"{path} is not in the wheel"
    assert "vcfkg/py.typed" in names


def test_installed_wheel_works_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import json, vcfkg, vcfkg.resources as r, vcfkg.validate as v;"
        "kg = vcfkg.load();"
        "print(json.dumps([str(r.data_root()), kg.variant(2).ratings[6].category, v.validate().conforms,"
        " len(kg.query('qc/missing-label-violation')), kg.lookup('loinc:36531-2')[0].identifier,"
        " len(r.scenarios_path().read_text().splitlines())]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "VCFKG_CACHE_DIR": "off"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    data_root, category, conforms, label_violations, looked_up, scenarios = json.loads(done.stdout)
    assert Path(data_root).is_relative_to(site)
    assert category == "May Be Appropriate (Disagreement)"
    assert conforms is True and label_violations == 0  # shapes and QC queries found in the wheel
    assert looked_up == "mri_spine_without_iv_contrast"  # the mapping links are in the shipped graph
    assert scenarios >= 60  # the public scenario suite


def test_mypy_strict_passes(tmp_path: Path) -> None:
    """The package ships py.typed, so its annotations must hold under ``mypy --strict`` (configured in pyproject)."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "vcfkg"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_release_files_exist() -> None:
    """Every file the README's "Release files" table names is in the repository (or is written by a command)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Release files", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 10
    for row in rows:
        first = row.split(" | ")[0]
        if first.startswith("| `vcfkg "):  # written by a command; the command's own tests check the files
            continue
        for name in re.findall(r"`([^`]+)`", first):
            matches = list(ROOT.glob(name))
            assert matches, f"README 'Release files' names {name}, which is not in the repository"
    assert 'version = "0.2.0"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
