"""The benchmark's parts that are not timing (``python -m vcfkg.bench`` measures; these tests never time):
its patients are diverse, valid and seeded, and its table marks each figure pass or FAIL against its target."""

from __future__ import annotations

import os
import sys

from vcfkg import bench


def test_patients_are_seeded_valid_and_diverse(kg) -> None:
    patients = bench.patients(200, seed=3)
    assert patients == bench.patients(200, seed=3) != bench.patients(200, seed=4)
    for patient in patients:
        kg.parse_patient(patient)  # no contradiction, no unknown value
    for key in kg.compiled.boolean_facts:
        assert {p.get(key) for p in patients} == {True, False, None}, key
    assert any("sins" in p for p in patients) and any("red_flags" in p for p in patients)
    statuses = {s for p in patients for s, variants in kg.recommend(p).to_json().items() if variants and s != "sins"}
    assert {"matched", "possible", "excluded"} <= statuses
    assert len({repr(sorted(p.items())) for p in patients}) == len(patients)


def test_table_has_a_row_per_figure_marked_against_its_target() -> None:
    cold = [0.010, 0.012, 0.011]
    figures = [
        bench.Figure("cold start", cold, "ms", "python -c pass", (0.004, 0.005), "≤ 3.5×", "2.2×", passed=True),
        bench.Figure("batch", [2.0, 2.5], "s", "I/O floor", (0.5,), "≤ 3×", "4.5×", False),
        bench.Figure("peak RSS", [80.4], "MB", target="≤ 100 MB", verdict="80 MB", passed=True),
        bench.Figure("HermiT", [3.0], "s", target="report", verdict="reported"),
    ]
    lines = bench.table(figures).splitlines()
    assert len(lines) == 2 + len(figures)
    assert lines[2] == "| cold start | 11 ms (10 ms–12 ms) | python -c pass: 4.5 ms | ≤ 3.5× | 2.2× pass |"
    assert lines[3] == "| batch | 2.25 s (2 s–2.5 s) | I/O floor: 0.5 s | ≤ 3× | 4.5× FAIL |"
    assert lines[4] == "| peak RSS | 80 MB | — | ≤ 100 MB | 80 MB pass |"
    assert lines[5] == "| HermiT | 3 s (3 s–3 s) | — | report | reported |"


def test_byte_compile_writes_bytecode_as_pip_install_does(tmp_path) -> None:
    """Start-up figures are measured with the modules byte-compiled, whatever PYTHONDONTWRITEBYTECODE says."""
    package = tmp_path / "package"
    package.mkdir()
    (package / "module.py").write_text("VALUE = 1\n")
    assert bench.byte_compile(package)
    assert [path.name.split(".")[0] for path in (package / "__pycache__").iterdir()] == ["module"]
    (package / "broken.py").write_text("def (:\n")
    assert not bench.byte_compile(package)


def test_peak_rss_is_the_commands_own_not_the_benchmarks(tmp_path) -> None:
    """A process started by a large one inherits its peak RSS on Linux; peak_rss reports the command's own."""
    ballast = bytearray(300 * 1024 * 1024)  # this process: at least 300 MB resident
    ballast[::4096] = b"x" * len(ballast[::4096])
    env = dict(os.environ)
    small, status = bench.peak_rss([sys.executable, "-c", "pass"], cwd=tmp_path, env=env)
    large, _ = bench.peak_rss(
        [sys.executable, "-c", "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"],
        cwd=tmp_path,
        env=env,
    )
    assert small < 100 < 200 <= large < 300
    assert status == 0
    assert bench.peak_rss([sys.executable, "-c", "raise SystemExit(3)"], cwd=tmp_path, env=env)[1] == 3
    del ballast
