"""The README's SPARQL worked example, run exactly as printed after the README's own Oxigraph load command."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from vcfkg.resources import ontology_path
from vcfkg.serve import oxigraph_command

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## SPARQL") : README.index("## Validating")]


def block(language: str, containing: str) -> str:
    found = [b for b in re.findall(rf"```{language}\n(.*?)```", SECTION, flags=re.DOTALL) if containing in b]
    assert len(found) == 1, f"README, SPARQL section: expected one {language} block with {containing!r}"
    return found[0]


COMMANDS = block("sh", "oxigraph load").strip().splitlines()
EXAMPLE = block("sparql", "Usually Appropriate for variant 6")


def run(line: str, cwd: Path) -> str:
    env = dict(os.environ, PATH=str(Path(oxigraph_command()).parent) + os.pathsep + os.environ.get("PATH", ""))
    done = subprocess.run(line, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{line}: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the repository for the commands: ontology/vcf.ttl and example.rq."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "ontology").mkdir()
    shutil.copy(ontology_path(), folder / "ontology" / "vcf.ttl")
    (folder / "example.rq").write_text(EXAMPLE, encoding="utf-8")
    return folder


def test_the_commands_are_load_then_query() -> None:
    assert [line.split()[:2] for line in COMMANDS] == [["oxigraph", "load"], ["oxigraph", "query"]]
    assert "--graph https://w3id.org/vcfkg/ontology" in COMMANDS[0]


def test_worked_example_answers_as_printed(workdir: Path, printed_ratings: list[dict[str, str]]) -> None:
    run(COMMANDS[0], workdir)
    answer = list(csv.reader(io.StringIO(run(COMMANDS[1], workdir))))
    expected = [
        [row["row"], row["procedure"]]
        for row in printed_ratings
        if row["variant"] == "6" and row["category"] == "Usually Appropriate"
    ]
    assert answer[0] == ["order", "procedure", "modality"]
    assert [row[:2] for row in answer[1:]] == expected
    for row in answer[1:]:  # the lines the README says it prints
        assert f"`{','.join(row)}`" in SECTION


def test_without_from_the_named_graph_gives_no_rows(workdir: Path) -> None:
    """The pitfall the README warns of: the data is in a named graph, not the default graph."""
    run(COMMANDS[0], workdir)
    (workdir / "no-from.rq").write_text(EXAMPLE.replace("FROM <https://w3id.org/vcfkg/ontology>\n", ""), "utf-8")
    answer = run(COMMANDS[1].replace("example.rq", "no-from.rq"), workdir)
    assert answer.strip().splitlines() == ["order,procedure,modality"]
