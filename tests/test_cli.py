"""The vcfkg command: output shapes, exit codes (0 ok, 1 problems found, 2 bad input), one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import EXAMPLES, run


@pytest.mark.parametrize("number", range(1, 10))
def test_variant_json_reproduces_the_printed_table(capsys, printed_ratings, number: int) -> None:
    code, out, _ = run(capsys, "variant", str(number), "--format", "json")
    assert code == 0
    data = json.loads(out)
    expected = [(int(r["row"]), r["procedure"], r["category"]) for r in printed_ratings if int(r["variant"]) == number]
    assert [(r["order"], r["procedure"], r["category"]) for r in data["ratings"]] == expected
    assert data["variant"] == number and data["question"] in ("imaging", "treatment")
    ranges = {
        "Usually Appropriate": [7, 9],
        "May Be Appropriate": [4, 6],
        "May Be Appropriate (Disagreement)": [5, 5],
        "Usually Not Appropriate": [1, 3],
    }
    assert all(r["rating_range"] == ranges[r["category"]] for r in data["ratings"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["variant", "12"], "no variant 12"),
        (["variant", "0"], "no variant 0"),
        (["variant", "two"], "invalid int value"),
        (["variant"], "the following arguments are required: number"),
        (["nonsense"], "invalid choice"),
        (["recommend", "/no/such/file.json"], "no such file"),
        (["recommend"], "give a PATIENT.json"),
        (["sins", "--pain", "agonizing"], "sins.pain"),
        (["sins"], "give at least one component"),
        (["sins", "--level", "T12", "--location", "rigid"], "disagrees"),
        (["red-flags", "fever", "hiccups"], "red_flags[1]"),
        (["query", "no_such_query"], "not found"),
        (["query", "mappings_of_term", "--param", "term=vcf:fever"], "needs parameter 'identifier'"),
        (["query", "variant_procedures", "--param", "number=x"], "expected a whole number, got a string 'x'"),
        (["query", "variant_procedures", "--param", "numbr=2"], "has no parameter 'numbr'"),
        (["query", "lookup_by_code", "--param", "code=SNOMEDCT:42942009"], "check digit"),
        (["query", "variant_procedures", "--param", "number"], "expected NAME=VALUE"),
        (["recommend", "--batch", "/no/such.jsonl"], "cannot read"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, argv: list[str], message: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.startswith("vcfkg: error: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("{not json", "not valid JSON"),
        ('{"symptomatic": "yes"}', "symptomatic: must be true or false"),
        ('{"question": "imaging", "mood": "sad"}', "mood: unknown key"),
        ('{"symptomatic": false, "worsening_pain": true}', "symptomatic: is false, but worsening_pain is true"),
        ('{"red_flags": ["fever", "chills"]}', "red_flags[1]: unknown value 'chills'"),
        ('{"sins": {"level": "T12", "location": "mobile"}}', "sins.location"),
    ],
)
def test_bad_patient_file_exits_2(capsys, tmp_path: Path, content: str, message: str) -> None:
    patient = tmp_path / "patient.json"
    patient.write_text(content)
    code, out, err = run(capsys, "recommend", str(patient))
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_recommend_json_shape(capsys) -> None:
    code, out, _ = run(capsys, "recommend", str(EXAMPLES / "patient.json"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"matched", "possible", "excluded", "red_flags", "sins"}
    assert [m["variant"] for m in data["matched"]] == [2]
    first = data["matched"][0]["procedures"][0]
    assert first["procedure"] == "MRI spine area of interest without and with IV contrast"
    assert first["category"] == "Usually Appropriate" and first["rating_range"] == [7, 9]
    assert data["red_flags"] == [  # in Appendix 1 order
        {  # derived from malignancy_history: true
            "flag": "history_of_cancer",
            "label": "History of cancer",
            "condition": "Cancer or infection",
            "condition_id": "cancer_or_infection",
        },
        {
            "flag": "unexplained_weight_loss",
            "label": "Unexplained weight loss",
            "condition": "Cancer or infection",
            "condition_id": "cancer_or_infection",
        },
    ]
    assert data["sins"]["score"] == 11 and data["sins"]["category"] == "potentially unstable"
    assert {e["variant"]: e["reason"] for e in data["excluded"]}[1] == "malignancy_history is true"


def test_recommend_explain_and_sparql_engine(capsys) -> None:
    patient = str(EXAMPLES / "patient.json")
    _, compiled, _ = run(capsys, "recommend", patient, "--format", "json")
    _, sparql, _ = run(capsys, "recommend", patient, "--format", "json", "--engine", "sparql")
    assert json.loads(compiled) == json.loads(sparql)
    _, explained, _ = run(capsys, "recommend", patient, "--format", "json", "--explain")
    assert json.loads(explained)["matched"][0]["criteria"][0] == {"criterion": "question is imaging", "truth": "true"}


def test_sins_command(capsys) -> None:
    code, out, _ = run(
        capsys,
        "sins",
        "--level",
        "T12",
        "--pain",
        "mechanical",
        "--bone-lesion",
        "lytic",
        "--alignment",
        "normal",
        "--collapse",
        "lt50",
        "--posterolateral",
        "none",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert (data["score"], data["category"]) == (10, "potentially unstable")
    assert data["components"]["location"] == {  # T12 lies in the junctional spine (Fisher 2010)
        "option": "junctional",
        "label": "Junctional spine (occiput–C2, C7–T2, T11–L1, L5–S1)",
        "points": 3,
    }


def test_partial_sins_gives_a_range(capsys) -> None:
    _, out, _ = run(capsys, "sins", "--location", "rigid", "--pain", "none", "--format", "json")
    data = json.loads(out)
    assert data["score_range"] == [0, 12] and data["category"] is None
    assert data["missing"] == ["bone_lesion", "alignment", "collapse", "posterolateral"]


def test_red_flags_command(capsys) -> None:
    code, out, _ = run(capsys, "red-flags", "fever", "saddle_anesthesia", "--format", "json")
    assert code == 0
    assert [(f["flag"], f["condition"]) for f in json.loads(out)] == [
        ("fever", "Cancer or infection"),
        ("saddle_anesthesia", "Epidural spinal cord compression"),
    ]


def test_variants_and_procedures_tables(capsys) -> None:
    code, out, _ = run(capsys, "variants")
    assert code == 0 and out.count("\n") == 11
    code, out, _ = run(capsys, "procedures", "--format", "json")
    procedures = json.loads(out)
    assert len(procedures) == 17
    biopsy = next(p for p in procedures if p["id"] == "image_guided_biopsy_spine")
    assert biopsy["kind"] == "imaging" and biopsy["image_guided_intervention"] is True
    assert [r["variant"] for r in biopsy["ratings"]] == [2, 4]


def test_query_command_binds_parameters(capsys) -> None:
    code, out, _ = run(capsys, "query", "variant_procedures", "--param", "number=9", "--format", "json")
    assert code == 0 and json.loads(out)[0]["procedure"] == "Radiation oncology consultation"
    code, out, _ = run(capsys, "query", "--list")
    listed = (
        "match_variants\n    parameters: patient (rows of ?givenFact: an IRI, ?givenValue: true or false or an IRI)"
    )
    assert listed in out


def test_console_script_runs_as_a_process() -> None:
    """The installed entry point, as users call it, with no traceback on bad input."""
    ok = subprocess.run(
        [sys.executable, "-m", "vcfkg", "variant", "5", "--format", "json"], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["variant"] == 5
    bad = subprocess.run([sys.executable, "-m", "vcfkg", "variant", "12"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    "argv",
    [["recommend", str(EXAMPLES / "patient.json")], ["variant", "3"], ["sins", "--level", "T12", "--pain", "none"]],
    ids=["recommend", "variant", "sins"],
)
def test_fast_commands_import_no_heavy_library(argv: list[str]) -> None:
    """recommend, variant and sins never import rdflib, pySHACL or owlready2 (they cost ~0.5 s to import)."""
    script = (
        "import sys; from vcfkg.cli import main; code = main(sys.argv[1:]); "
        "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'owlready2') if m in sys.modules); "
        "print(heavy, file=sys.stderr); sys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_lookup_command(capsys) -> None:
    code, out, _ = run(capsys, "lookup", "LOINC:36531-2", "--format", "json")
    assert code == 0
    [link] = json.loads(out)
    assert link["id"] == "mri_spine_without_iv_contrast" and link["predicate"] == "skos:exactMatch"
    assert {"variant": 2, "category": "Usually Appropriate"} in link["ratings"]


def test_lookup_of_an_unlinked_code_exits_1(capsys) -> None:
    code, out, err = run(capsys, "lookup", "SNOMEDCT:22298006")  # myocardial infarction: valid, not linked
    assert (code, out) == (1, "")
    assert "no vcfkg term is linked to SNOMEDCT:22298006" in err


@pytest.mark.parametrize("bad", ["SNOMEDCT:12345", "FOO:1", "not a code"])
def test_lookup_of_a_malformed_code_exits_2(capsys, bad: str) -> None:
    code, _, err = run(capsys, "lookup", bad)
    assert code == 2 and err.count("\n") == 1


def test_mappings_command(capsys) -> None:
    code, out, _ = run(capsys, "mappings", "fever", "--format", "json")
    assert code == 0
    assert {c["code"] for c in json.loads(out)[0]["codes"]} == {"snomedct:386661006", "radlex:RID39083"}
    code, out, _ = run(capsys, "mappings", "saddle_anesthesia")
    assert code == 0 and "no verified code" in out
    code, _, err = run(capsys, "mappings", "no_such_term")
    assert code == 2 and "no_such_term" in err


def test_recommendation_carries_order_codes(capsys) -> None:
    _, out, _ = run(capsys, "recommend", str(EXAMPLES / "patient.json"), "--format", "json")
    codes = {p["id"]: p["codes"] for p in json.loads(out)["matched"][0]["procedures"]}
    assert "loinc:36531-2" in codes["mri_spine_without_iv_contrast"]
    assert codes["spect_or_spect_ct_spine"] == []


@pytest.mark.parametrize(
    ("patient", "message"),
    [
        ({"codes": ["SNOMEDCT:266987004"], "malignancy_history": False}, "but malignancy_history is false"),
        ({"codes": ["SNOMEDCT:42942008"]}, "does not give a patient fact"),
        ({"codes": "SNOMEDCT:386661006"}, "must be an array"),
    ],
)
def test_patient_codes_errors(capsys, tmp_path: Path, patient: dict, message: str) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(patient))
    code, _, err = run(capsys, "recommend", str(path))
    assert code == 2 and message in err


@pytest.mark.java
def test_classify_command_agrees_with_recommend(capsys) -> None:
    """vcfkg classify runs HermiT on the same patient; its matched variants equal recommend's."""
    code, out, _ = run(capsys, "classify", str(EXAMPLES / "patient.json"), "--format", "json")
    assert code == 0
    assert [v["variant"] for v in json.loads(out)["matched"]] == [2]


def test_classify_rejects_a_contradiction_before_reasoning(capsys, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"symptomatic": false, "mechanical_pain": true}')
    code, _, err = run(capsys, "classify", str(path))
    assert code == 2 and "symptomatic" in err and err.count("\n") == 1


def test_export_mappings_command(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "export", "--mappings", str(tmp_path / "out"))
    assert code == 0
    written = [Path(line) for line in out.splitlines()]
    assert {p.suffix for p in written} >= {".tsv", ".json", ".ttl"} and all(p.stat().st_size for p in written)
    code, _, err = run(capsys, "export")
    assert code == 2 and "--mappings DIR" in err and "--out DIR" in err


def test_recommend_path_imports_no_feature_modules(tmp_path: Path) -> None:
    """``vcfkg recommend`` imports neither curies, pydantic, rdflib nor vcfkg.mappings, on a cache miss or hit."""
    patient = tmp_path / "p.json"
    patient.write_text('{"question": "imaging", "symptomatic": true, "red_flags": ["fever"], "sins": {"level": "T12"}}')
    script = (
        "import sys, io, contextlib\n"
        "from vcfkg.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['recommend', {str(patient)!r}]) == 0\n"
        "heavy = ('curies', 'pydantic', 'rdflib', 'vcfkg.mappings')\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy))\n"
    )
    env = {**os.environ, "VCFKG_CACHE_DIR": str(tmp_path / "cache")}
    for cache_state in ("miss", "hit"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        assert done.stdout.strip() == "[]", cache_state
    assert list((tmp_path / "cache").glob("compiled-*.json")), "the first run filled the cache"
