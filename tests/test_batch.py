"""``recommend --batch``: one answer line per input line in order, errors in place, memoized JSON equal to the
single answers, the progress bar, and the line reader."""

from __future__ import annotations

import io
import json
from pathlib import Path

from support import run

from vcfkg import batch
from vcfkg.cli import main


def test_batch_keeps_order_and_reports_bad_lines(capsys, tmp_path: Path) -> None:
    lines = [
        '{"question": "treatment", "symptomatic": false, "etiology": "osteoporotic"}',
        "{oops",
        "",
        '{"symptomatic": 3}',
        '{"question": "treatment", "etiology": "pathologic", "mechanical_pain": true}',
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    output = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "recommend", "--batch", str(source), "--output", str(output))
    answers = [json.loads(line) for line in output.read_text().splitlines()]
    assert code == 1 and "3 of 5 lines had errors" in err
    assert len(answers) == 5
    assert [m["variant"] for m in answers[0]["matched"]] == [5]
    assert answers[1]["line"] == 2 and "not valid JSON" in answers[1]["error"]
    assert answers[2]["line"] == 3 and "empty" in answers[2]["error"]
    assert answers[3] == {"line": 4, "error": "symptomatic: must be true or false, got number", "field": "symptomatic"}
    assert [m["variant"] for m in answers[4]["matched"]] == [9]


def test_batch_output_equals_single_answers(kg, tmp_path: Path) -> None:
    """The batch writer's memoized JSON is the same answer as recommend(...).to_json(), line by line."""
    from vcfkg.bench import patients

    sample = patients(300, seed=11) * 2  # repeats exercise the memo
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(p) + "\n" for p in sample))
    output = tmp_path / "out.jsonl"
    assert main(["recommend", "--batch", str(source), "--output", str(output)]) == 0
    answers = [json.loads(line) for line in output.read_text().splitlines()]
    assert answers == [kg.recommend(p).to_json(notice=False) for p in sample]
    assert not any("notice" in answer for answer in answers)  # batch lines carry no notice (README)


def test_batch_progress_bar_reaches_the_end_of_a_file(kg, tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"question": "imaging"}\n' * 2500)
    with source.open("rb") as handle:
        assert batch.run(kg, handle, io.BytesIO(), progress=True) == (2500, 0)
    err = capsys.readouterr().err
    assert "[" + "#" * batch.Progress.WIDTH + "] 100%  2500 patients" in err


def test_lines_split_at_newlines_only_and_give_an_overlong_line_as_none() -> None:
    source = io.BytesIO(b'{"a": 1}\n{"b":\r 2}\n' + b"x" * 50 + b"\n\n" + b"tail")
    assert list(batch.lines(source, limit=20)) == [b'{"a": 1}\n', b'{"b":\r 2}\n', None, b"\n", b"tail"]


def test_an_overlong_line_is_an_error_in_its_place(kg, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"question": "imaging"}\n{"x": "' + b"y" * batch.MAX_LINE_BYTES + b'"}\n{}\n')
    output = io.BytesIO()
    with source.open("rb") as handle:
        assert batch.run(kg, handle, output) == (3, 1)
    answers = [json.loads(line) for line in output.getvalue().splitlines()]
    assert answers[1] == {
        "line": 2,
        "error": f"patient: line is longer than {batch.MAX_LINE_BYTES:,} bytes",
        "field": "patient",
    }
    assert answers[0] == kg.recommend({"question": "imaging"}).to_json(notice=False)
    assert answers[2] == kg.recommend({}).to_json(notice=False)
