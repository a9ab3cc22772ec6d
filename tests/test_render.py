"""The text tables: what a reader sees first (red flags, conflicts, the notice) and how rows wrap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import EXAMPLES, run, write_patient

from vcfkg import render


def test_recommend_table_says_plainly_when_nothing_matches(capsys, tmp_path: Path) -> None:
    patient = tmp_path / "p.json"
    patient.write_text('{"question": "treatment", "etiology": "benign"}')
    code, out, _ = run(capsys, "recommend", str(patient))
    assert code == 0
    assert out.startswith("No variant matches this patient.")
    assert "variant 8: worsening_pain, deformity, pulmonary_dysfunction" in out


def test_red_flags_print_before_any_variant_table(capsys, tmp_path: Path) -> None:
    patient = {"question": "treatment", "etiology": "pathologic", "mechanical_pain": True}
    patient["red_flags"] = [
        "saddle_anesthesia",
        "urinary_retention_or_overflow_incontinence",
        "lower_limb_motor_weakness",
    ]
    code, out, _ = run(capsys, "recommend", write_patient(tmp_path, patient))
    assert code == 0
    heading = out.index("more complicated status")
    assert heading < out.index("Epidural spinal cord compression") < out.index("Matched variant 9")
    assert out.index("Saddle anesthesia") < out.index("Matched variant 9")


def test_conflicts_block_follows_the_matched_tables(capsys, tmp_path: Path) -> None:
    patient = {"question": "treatment", "symptomatic": False, "etiology": "osteoporotic", "deformity": True}
    code, out, _ = run(capsys, "recommend", write_patient(tmp_path, patient))
    assert code == 0
    block = out.index("does not rank overlapping variants")
    assert out.index("Matched variant 8") < block < out.index("Excluded variants")
    assert "Percutaneous vertebral augmentation: variant 5: Usually Not Appropriate (1-3); variant 8: Usually" in out
    assert "Rating range" in out


@pytest.mark.parametrize("argv", [["variant", "7"], ["recommend", str(EXAMPLES / "patient.json")]])
def test_table_output_ends_with_the_notice(capsys, kg, argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.rstrip("\n").splitlines()[-1] == kg.notice
    code, out, _ = run(capsys, *argv, "--format", "json")
    assert ("notice" in json.loads(out)) == (argv[0] == "recommend")


@pytest.mark.java
def test_classify_table_ends_with_the_notice(capsys, kg) -> None:
    code, out, _ = run(capsys, "classify", str(EXAMPLES / "patient.json"))
    assert code == 0 and out.rstrip("\n").splitlines()[-1] == kg.notice


def test_explain_prints_why_under_each_row(capsys) -> None:
    code, out, _ = run(capsys, "variant", "9", "--explain")
    assert code == 0
    assert out.count("   Why: ") == 6 and "[Variant 9 › Surgical Consultation]" in out
    code, out, _ = run(capsys, "variant", "9")
    assert "Why:" not in out


def test_table_pads_columns_and_wraps_cells_at_word_boundaries() -> None:
    text = render.table(["A", "Bee"], [["x", "one two three"], ["longer", None]], wrap=[10, 7])
    assert text.splitlines() == [
        "A       Bee",
        "------  -------",
        "x       one two",
        "        three",
        "longer",
    ]


@pytest.mark.parametrize(
    ("category", "short"),
    [
        ("Usually Appropriate", "UA"),
        ("May Be Appropriate", "MBA"),
        ("May Be Appropriate (Disagreement)", "MBA(D)"),
        ("Usually Not Appropriate", "UNA"),
    ],
)
def test_abbreviation_of_each_category(category: str, short: str) -> None:
    assert render.abbreviation(category) == short


def test_an_undecided_sins_class_is_worded_as_the_query_words_it(kg) -> None:
    """``vcfkg sins`` and queries/sins_score.rq call a range spanning two classes the same."""
    from vcfkg import queries, sins

    undecided = kg.sins(pain="none")
    assert undecided.category is None
    assert sins.UNDECIDED in render.sins(undecided)
    assert f'"{sins.UNDECIDED}"' in queries.get("sins_score").text
