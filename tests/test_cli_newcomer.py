"""The command line as a newcomer meets it: each rough edge of issue 13 ("The CLI as a newcomer meets it") has a
test here (the exit-2 cases of `query` are in test_cli.py's table of bad arguments)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

import vcfkg
from vcfkg import queries
from vcfkg.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
INVALID_SHAPES = Path(__file__).parent / "data" / "shapes" / "invalid"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- vcfkg query ---------------------------------------------------------------------------------------------
def test_query_without_params_runs_the_example_values_and_says_so(capsys) -> None:
    code, out, err = run(capsys, "query", "variant_procedures", "--format", "json")
    assert code == 0 and "example values" in err and "variant_procedures" in err
    code, bound, _ = run(capsys, "query", "variant_procedures", "--param", "number=2", "--format", "json")
    assert json.loads(out) == json.loads(bound) != []  # the file's example is variant 2


def test_query_with_all_params_says_nothing_on_stderr(capsys) -> None:
    code, _, err = run(capsys, "query", "variant_procedures", "--param", "number=9")
    assert code == 0 and err == ""


@pytest.mark.parametrize("code", ["SNOMEDCT:42942008", "sctid:42942008", "http://snomed.info/id/42942008"])
def test_code_parameter_takes_the_curies_lookup_takes(capsys, code: str) -> None:
    _, expected, _ = run(capsys, "query", "lookup_by_code", "--param", "code=<http://snomed.info/id/42942008>")
    status, out, _ = run(capsys, "query", "lookup_by_code", "--param", f"code={code}")
    assert status == 0 and out == expected and "condition-spinal-fracture" in out


def test_wrong_kind_of_value_is_an_api_error_too(kg: vcfkg.KnowledgeGraph) -> None:
    with pytest.raises(vcfkg.InvalidArgumentError, match="expected a whole number"):
        kg.query("variant_procedures", number="x")
    with pytest.raises(vcfkg.InvalidArgumentError, match=r"\?option\): expected a string"):
        kg.query("sins_score", options=[("pain", 3)])


def test_table_parameter_help_and_readme_example(capsys) -> None:
    assert main(["query", "--help"]) == 0  # main returns --help's exit code (so a failed write is reported)
    help_text = " ".join(capsys.readouterr().out.split())
    assert "options=[[" in help_text and "JSON rows" in help_text
    example = re.search(r"vcfkg query sins_score --param '(options=.*?)'", README)
    assert example is not None
    code, out, _ = run(capsys, "query", "sins_score", "--param", example.group(1), "--format", "json")
    assert code == 0 and json.loads(out)[0]["class"] == "class undecided"


def test_partial_sins_score_query_agrees_with_vcfkg_sins(kg: vcfkg.KnowledgeGraph) -> None:
    """Any subset of components: the query's range and class are those of the compiled SINS."""
    options = kg.compiled.sins_options
    rng = random.Random(13)
    undecided = 0
    for _ in range(150):
        chosen = {c: rng.choice(list(opts)) for c, opts in options.items() if rng.random() < 0.6}
        if not chosen:
            continue
        compiled = kg.sins(chosen)
        [row] = kg.query("sins_score", options=list(chosen.items()))
        assert (row["minScore"], row["maxScore"]) == compiled.score_range, chosen
        assert row["class"] == (compiled.category or "class undecided"), chosen
        undecided += compiled.category is None
    assert undecided > 10


def test_query_list_shows_whole_descriptions_wrapped(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100
    flat = " ".join(out.split())
    for query in queries.registry().values():
        assert " ".join(query.description.split()) in flat, query.name
        assert len(query.description) > 20


# -- red flags, validate, lookup, procedures ---------------------------------------------------------------
def test_red_flags_lists_ids_beside_labels_and_signs_by_label(capsys, kg: vcfkg.KnowledgeGraph) -> None:
    code, out, _ = run(capsys, "red-flags")
    assert code == 0
    lines = out.splitlines()
    for flag, hit in kg.compiled.red_flags.items():
        assert any(line.startswith(flag + " ") and hit.label in line for line in lines), flag
    signs = [hit for hit in kg.compiled.red_flags.values() if hit.sign_of]
    assert signs
    for hit in signs:
        syndrome = kg.compiled.red_flags[hit.sign_of].label
        assert f"{hit.label} (sign of {syndrome})" in out
    assert "(sign of cauda_equina_syndrome)" not in out


def test_validate_example_patient_says_why_it_needs_the_graph(capsys) -> None:
    example = ROOT / "examples" / "patient.ttl"
    code, out, _ = run(capsys, "validate", str(example))
    assert code == 1 and "--with-graph" in out
    assert "--with-graph" in example.read_text(encoding="utf-8")
    assert "vcfkg validate examples/patient.ttl --with-graph` conforms" in " ".join(README.split())
    code, out, _ = run(capsys, "validate", str(example), "--with-graph")
    assert code == 0 and "Conforms" in out


def test_a_violation_of_the_label_names_the_node_by_iri(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(INVALID_SHAPES / "label-not-english.ttl"))
    assert code == 1
    assert out.splitlines()[0].startswith("Violation: vcf:coverage-chest [rdfs:label]: ")


def test_lookup_prints_the_link_in_the_triple_direction(capsys) -> None:
    code, out, _ = run(capsys, "lookup", "SNOMEDCT:42942008")
    assert code == 0
    header, _, *rows = out.splitlines()
    assert header.split()[:4] == ["vcfkg", "term", "Link", "Code"]
    assert rows and all(re.match(r"vcf:\S+\s+skos:\w+Match\s+snomedct:42942008\s", row) for row in rows)


def test_procedures_fit_100_columns_and_json_keeps_all(capsys, kg: vcfkg.KnowledgeGraph) -> None:
    code, out, _ = run(capsys, "procedures")
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100
    code, out, _ = run(capsys, "procedures", "--format", "json")
    procedures = json.loads(out)
    assert len(procedures) == 17
    assert {r["category"] for p in procedures for r in p["ratings"]} == {
        "Usually Appropriate",
        "May Be Appropriate",
        "May Be Appropriate (Disagreement)",
        "Usually Not Appropriate",
    }


@pytest.mark.parametrize(
    "procedure",
    [
        "bone_scan_whole_body",
        "spect_or_spect_ct_spine",
        "fdg_pet_ct_skull_base_to_mid_thigh",
        "image_guided_biopsy_spine",
    ],
)
def test_no_contrast_medium_is_not_called_no_iv_contrast(kg: vcfkg.KnowledgeGraph, procedure: str) -> None:
    [found] = [p for p in kg.procedures() if p.procedure_id == procedure]
    assert found.contrast == "contrast not applicable"


# -- help and README ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_lists_the_allowed_values_of_every_enumerated_option(capsys, command: str) -> None:
    parser = build_parser(command)
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]  # type: ignore[union-attr]
    help_text = sub.format_help()
    for action in sub._actions:
        if action.choices:
            assert "{" + ",".join(map(str, action.choices)) + "}" in help_text, (command, action.dest)


def test_sins_help_lists_every_option_and_level(kg: vcfkg.KnowledgeGraph) -> None:
    parser = build_parser("sins")
    sub = next(a for a in parser._actions if a.dest == "command").choices["sins"]  # type: ignore[union-attr]
    flat = " ".join(sub.format_help().split())
    for component, options in kg.compiled.sins_options.items():
        assert f"the {component.replace('_', ' ')} option: {', '.join(options)}" in flat
    assert ", ".join(kg.compiled.sins_levels) in flat


def test_readme_command_list_has_no_pipe() -> None:
    block = README[README.index("## Command line") :].split("```text\n", 1)[1].split("```", 1)[0]
    assert "vcfkg recommend" in block and "|" not in block
