"""Tests mirror the package: each module ``vcfkg/X.py`` has its tests in ``tests/test_X.py``, or in the file
named in LOCATION below, with more of them possibly in ``test_X_<aspect>.py`` beside it; every other test file
is one of the SUITES listed here with what it tests; test helpers live in one module, ``tests/support.py``.

This file is the one place that states the mapping; a new module without a test file fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "vcfkg"
TESTS = ROOT / "tests"

# module -> its test file, where that is not tests/test_<module>.py
LOCATION = {
    "__init__": "test_init.py",
    "canonical": "ontology/test_canonical.py",  # the canonical form of vcf.ttl, beside the graph's other tests
    "publish": "servers/test_publish.py",  # these three need real SPARQL servers (tests/servers/conftest.py)
    "remote": "servers/test_remote.py",
    "serve": "servers/test_serve.py",
}
# module -> why it has no test file of its own
NO_TEST_FILE = {
    "__main__": "only calls the command's entry point; test_cli.py::test_console_script_runs_as_a_process runs it",
}
# test files and folders that are no module's: what they test
SUITES = {
    "test_layout.py": "this mapping",
    "test_packaging.py": "the wheel and its data files, an installed copy, mypy --strict",
    "test_examples.py": "the README's Python examples and every docstring example",
    "test_readme_sparql.py": "the README's SPARQL walk-through on a server",
    "test_scenarios.py": "the public scenario suite, scenarios/vcf-scenarios.jsonl",
    "ontology/": "the graph itself, ontology/vcf.ttl: OWL 2 DL, metadata, schema, ratings, rationales, parsers",
    "queries/": "the queries/ folder's checks (queries/qc) and the queries a SPARQL user writes without vcfkg",
    "robustness/": "issue 14's faults and a fuzzing strategy per input surface, across every module",
    "servers/test_cross_engine.py": "every shipped query on rdflib, pyoxigraph, Oxigraph, Virtuoso and Jena ARQ",
}
# Python files in tests/ that are not test files
HELPERS = {
    "support.py": "the one support module: the oracle, shared patients, tables, and helpers of every suite",
    "source_fingerprint.py": "the script that writes tests/data/source/ from the guideline's text (reads via support)",
}


def layout_problems(package: Path, tests: Path) -> list[str]:
    """What breaks the mirror between ``package``'s modules and ``tests``' files (none: the layout holds)."""
    modules = sorted(path.stem for path in package.glob("*.py"))
    homes = {m: LOCATION.get(m, f"test_{m}.py") for m in modules if m not in NO_TEST_FILE}
    problems = [f"vcfkg/{m}.py has no tests/{home}" for m, home in homes.items() if not (tests / home).is_file()]
    problems += [f"LOCATION or NO_TEST_FILE names {m}, no module" for m in {*LOCATION, *NO_TEST_FILE} - {*modules}]
    problems += [f"SUITES names {name}, which does not exist" for name in SUITES if not (tests / name).exists()]
    for path in sorted(tests.rglob("*.py")):
        name = path.relative_to(tests).as_posix()
        if "/data/" in f"/{name}" or path.name == "conftest.py" or name in HELPERS:
            continue
        if not path.name.startswith("test_"):
            problems.append(f"tests/{name} is neither a test file nor one of HELPERS (helpers go in support.py)")
            continue
        home = next((h for h in homes.values() if name == h or name.startswith(h.removesuffix(".py") + "_")), None)
        if home is None and not any(name == s or (s.endswith("/") and name.startswith(s)) for s in SUITES):
            problems.append(f"tests/{name} is no module's test file (test_<module>[_<aspect>].py) nor a listed suite")
    return problems


def test_the_tests_mirror_the_package() -> None:
    assert layout_problems(PACKAGE, TESTS) == []


def test_a_module_without_a_test_file_names_the_test_that_runs_it() -> None:
    for module, reason in NO_TEST_FILE.items():
        [(file, name)] = re.findall(r"(test_\w+\.py)::(test_\w+)", reason)
        assert f"def {name}(" in (TESTS / file).read_text(encoding="utf-8"), module


def test_a_module_without_tests_is_reported(tmp_path: Path) -> None:
    package = tmp_path / "vcfkg"
    package.mkdir()
    for module in PACKAGE.glob("*.py"):
        (package / module.name).write_text("")
    (package / "triage.py").write_text("")
    assert layout_problems(package, TESTS) == ["vcfkg/triage.py has no tests/test_triage.py"]


def test_a_test_file_of_no_module_is_reported(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    for path in TESTS.rglob("*.py"):
        copy = tests / path.relative_to(TESTS)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text("")
    (tests / "test_triage.py").write_text("")
    (tests / "helpers.py").write_text("")
    assert layout_problems(PACKAGE, tests) == [
        "tests/helpers.py is neither a test file nor one of HELPERS (helpers go in support.py)",
        "tests/test_triage.py is no module's test file (test_<module>[_<aspect>].py) nor a listed suite",
    ]


def test_no_test_file_imports_another() -> None:
    """Shared code is in support.py, not borrowed from a test module."""
    test_modules = {path.stem for path in TESTS.rglob("test_*.py")}
    for path in sorted(TESTS.rglob("*.py")):
        imports = {
            line.split()[1].split(".")[0]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith(("import ", "from "))
        }
        assert not imports & test_modules, f"tests/{path.relative_to(TESTS)} imports {imports & test_modules}"
