"""The vcfkg benchmark: ``python -m vcfkg.bench [--quick]`` prints a table of medians with their spread and,
in the same run, each figure's baseline and the ratio to its target. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

EXAMPLE_PATIENT = {
    "question": "imaging",
    "new_fracture": True,
    "symptomatic": True,
    "seen_on_radiographs": True,
    "malignancy_history": True,
    "red_flags": ["unexplained_weight_loss"],
    "sins": {"level": "T12", "pain": "mechanical", "bone_lesion": "lytic"},
}
# The I/O floor of the batch: parse each input line with json and write the same answer bytes, with no logic.
FLOOR_BATCH = """import json, sys
answers = open(sys.argv[1], "rb").read().splitlines(keepends=True)
out = sys.stdout.buffer
for index, line in enumerate(sys.stdin.buffer):
    json.loads(line)
    out.write(answers[index])
"""


@dataclass(frozen=True)
class Figure:
    """One measured figure: samples, the baseline measured in the same run, the target and the verdict."""

    name: str
    samples: list[float]
    unit: str
    baseline: str = ""
    baseline_samples: tuple[float, ...] = ()
    target: str = ""
    verdict: str = ""
    passed: bool | None = None  # None: reported, no target


def patients(count: int, seed: int = 6) -> list[dict[str, object]]:
    """Seeded, diverse patients: every fact known, unknown, true or false, red flags and SINS options from the graph.

    The fact keys, values, red flags and SINS options come from the compiled vocabulary, so the patients follow
    the graph. Patients that contradict a derivation are dropped (they are input errors, not answers).
    """
    import vcfkg

    kg = vcfkg.load()
    compiled = kg.compiled
    rng = random.Random(seed)
    booleans = sorted(compiled.boolean_facts)
    choices = {key: sorted(values) for key, values in compiled.object_facts.items()}
    flags = sorted(compiled.red_flags)
    levels = sorted(compiled.sins_levels)
    out: list[dict[str, object]] = []
    while len(out) < count:
        patient: dict[str, object] = {}
        for key, values in choices.items():
            if rng.random() < 0.8:
                patient[key] = rng.choice(values)
        for key in booleans:
            if rng.random() < 0.6:
                patient[key] = rng.random() < 0.5
        if rng.random() < 0.3:
            patient["red_flags"] = rng.sample(flags, rng.randint(1, 3))
        if rng.random() < 0.3:
            sins: dict[str, str] = {"level": rng.choice(levels)}
            for component, options in compiled.sins_options.items():
                if component != "location" and rng.random() < 0.5:
                    sins[component] = rng.choice(sorted(options))
            patient["sins"] = sins
        try:
            kg.parse_patient(patient)
        except vcfkg.InvalidPatientError:
            continue
        out.append(patient)
    return out


def wall(
    command: Sequence[str],
    repeat: int,
    stdin: Path | None = None,
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    before: Callable[[], object] | None = None,
) -> list[float]:
    """Wall times of whole processes (started in ``cwd``)."""
    times: list[float] = []
    for _ in range(repeat):
        if before is not None:
            before()
        with open(stdin or os.devnull, "rb") as source:
            start = time.perf_counter()
            process = subprocess.Popen(
                command, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env
            )
            status = process.wait()
            times.append(time.perf_counter() - start)
        if status not in (0, 1):
            raise RuntimeError(f"{' '.join(command)} exited {status}")
    return times


# Started by a small process: Linux gives a new process the peak RSS of the memory it was started from, so a
# command started by the benchmark itself (hundreds of MB of patients) would report the benchmark's peak.
PEAK_RSS = """import os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], dict(os.environ))
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_rss(command: Sequence[str], stdin: Path | None = None, *, cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """The peak resident memory (MB) of one run of ``command`` (its first word an absolute path), and its exit
    status."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        with open(stdin or os.devnull, "rb") as source:
            status = subprocess.run(
                [sys.executable, "-c", PEAK_RSS, str(report), *command],
                stdin=source,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=cwd,
                env=env,
                check=False,
            ).returncode
        return int(report.read_text()) / 1024, status


def per_call(function: Callable[[], object], calls: int, repeat: int) -> list[float]:
    """Seconds per call, one sample per batch of ``calls`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        samples.append((time.perf_counter() - start) / calls)
    return samples


def fmt(seconds: float, unit: str) -> str:
    """A duration in the given unit, three significant digits."""
    scale = {"s": 1, "ms": 1e3, "µs": 1e6}[unit]
    return f"{seconds * scale:.3g} {unit}"


def spread(samples: Sequence[float], unit: str) -> str:
    """The range of the samples."""
    return f"{fmt(min(samples), unit)}–{fmt(max(samples), unit)}"


def _mark(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def byte_compile(package: Path) -> bool:
    """Byte-compile the package's modules, as ``pip install`` does: a process started with
    ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module from source at every start (an editable
    install never gets them from pip). True when every module has its bytecode."""
    return bool(compileall.compile_dir(package, quiet=1))


def run(quick: bool) -> list[Figure]:
    """Measure every figure; subprocesses run the installed ``vcfkg`` from an empty temporary folder."""
    import vcfkg

    repeat = 3 if quick else 15
    vcfkg_cmd = [sys.executable, "-m", "vcfkg"]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        work = folder / "work"  # nothing here shadows the installed package
        work.mkdir()
        patient_file = folder / "patient.json"
        patient_file.write_text(json.dumps(EXAMPLE_PATIENT))
        cache = folder / "cache"
        env = {**os.environ, "VCFKG_CACHE_DIR": str(cache)}
        recommend = [*vcfkg_cmd, "recommend", str(patient_file)]

        passes = wall([sys.executable, "-c", "pass"], repeat, cwd=work, env=env)
        pass_median = statistics.median(passes)
        miss = wall(recommend, repeat, cwd=work, env=env, before=lambda: shutil.rmtree(cache, ignore_errors=True))
        median = statistics.median(miss)
        figures.append(Figure("first `vcfkg recommend patient.json` after install (cache miss, whole process)", miss,
                              "ms", "`python -c pass`", tuple(passes), "≤ 100 ms",
                              f"{median * 1e3:.0f} ms", median <= 0.100))  # fmt: skip

        wall(recommend, 1, cwd=work, env=env)  # fill the cache and the OS cache
        cold = wall(recommend, repeat, cwd=work, env=env)
        ratio = statistics.median(cold) / pass_median
        figures.append(Figure("cold `vcfkg recommend patient.json` (cache hit, whole process)", cold, "ms",
                              "`python -c pass`", tuple(passes), "≤ 3.5×", f"{ratio:.1f}×", ratio <= 3.5))  # fmt: skip

        kg = vcfkg.load()
        sample = patients(1000)
        cycle = iter(sample * 1000)
        compiled = per_call(lambda: kg.recommend(next(cycle)), 2000 if quick else 20000, repeat)
        median = statistics.median(compiled)
        figures.append(Figure("warm `kg.recommend(p)`, compiled path", compiled, "µs", "", (), "≤ 20 µs",
                              f"{median * 1e6:.1f} µs", median <= 20e-6))  # fmt: skip

        matcher = kg.matcher

        def unseen() -> object:
            matcher.memo.clear()  # every call evaluates the criteria as for a combination not seen before
            return kg.recommend(next(cycle))

        fresh = per_call(unseen, 2000 if quick else 20000, repeat)
        figures.append(Figure("… the same, fact combination not yet in the matcher's memo", fresh, "µs", "", (),
                              "report", f"{statistics.median(fresh) * 1e6:.1f} µs"))  # fmt: skip

        rdflib_kg = vcfkg.load(store="rdflib")
        few = sample[:20]
        oxi = per_call(lambda: [kg.recommend(p, method="sparql") for p in few], 1, repeat)
        rdf = per_call(lambda: [rdflib_kg.recommend(p, method="sparql") for p in few[:3]], 1, 2 if quick else 3)
        oxi_each = [s / len(few) for s in oxi]
        rdf_each = [s / 3 for s in rdf]
        ratio = statistics.median(rdf_each) / statistics.median(oxi_each)
        figures.append(Figure("warm `kg.recommend(p, method=\"sparql\")` per patient", oxi_each, "ms",
                              "same on rdflib", tuple(rdf_each), "≥ 20× faster", f"{ratio:.0f}× faster",
                              ratio >= 20))  # fmt: skip

        lines = 10_000 if quick else 100_000
        batch = folder / "patients.jsonl"
        rows = patients(lines, seed=7)
        distinct = len({json.dumps(p, sort_keys=True) for p in rows})
        batch.write_text("".join(json.dumps(p) + "\n" for p in rows))
        answers = folder / "answers.jsonl"
        with batch.open("rb") as source, answers.open("wb") as target:
            subprocess.run([*vcfkg_cmd, "recommend", "--batch", "-"], stdin=source, stdout=target, cwd=work,
                           env=env, check=True)  # fmt: skip
        floor_script = folder / "floor.py"
        floor_script.write_text(FLOOR_BATCH)
        times = max(2, repeat // 5)
        base = wall([sys.executable, str(floor_script), str(answers)], times, stdin=batch, cwd=work, env=env)
        batch_times = wall([*vcfkg_cmd, "recommend", "--batch", "-"], times, stdin=batch, cwd=work, env=env)
        ratio = statistics.median(batch_times) / statistics.median(base)
        figures.append(Figure(f"`recommend --batch` {lines:,} lines, {distinct:,} distinct (whole process)",
                              batch_times, "s", "I/O floor: `json` parse + the same answer bytes written",
                              tuple(base), "≤ 3×", f"{ratio:.1f}×", ratio <= 3))  # fmt: skip

        validate = wall([*vcfkg_cmd, "validate"], max(2, repeat // 3), cwd=work, env=env)
        median = statistics.median(validate)
        figures.append(Figure("`vcfkg validate` (whole process)", validate, "s", "", (), "≤ 1 s",
                              f"{median:.2f} s", median <= 1))  # fmt: skip

        try:
            from vcfkg.reasoning import classify_many

            hermit = per_call(lambda: classify_many(sample[:100]), 1, 1 if quick else 3)
            figures.append(Figure("HermiT classification of 100 patients", hermit, "s", "", (), "report",
                                  f"{statistics.median(hermit):.2f} s"))  # fmt: skip
        except (ImportError, vcfkg.VcfkgError) as error:
            figures.append(Figure("HermiT classification of 100 patients", [float("nan")], "s", "", (), "report",
                                  f"not run: {error}"))  # fmt: skip

        peak, _ = peak_rss(recommend, cwd=work, env=env)
        batch_peak, _ = peak_rss([*vcfkg_cmd, "recommend", "--batch", "-"], batch, cwd=work, env=env)
        figures.append(Figure("peak RSS of `vcfkg recommend`", [peak], "MB", "", (), "≤ 100 MB",
                              f"{peak:.0f} MB (batch: {batch_peak:.0f} MB)", max(peak, batch_peak) <= 100))  # fmt: skip
    return figures


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table (the README's performance table)."""
    rows = ["| figure | median (min–max) | baseline in the same run | target | result |", "|---|---|---|---|---|"]
    for f in figures:
        if f.unit == "MB":
            value = f"{f.samples[0]:.0f} MB"
        else:
            value = f"{fmt(statistics.median(f.samples), f.unit)} ({spread(f.samples, f.unit)})"
        base = (
            f"{f.baseline}: {fmt(statistics.median(f.baseline_samples), f.unit)}" if f.baseline_samples else f.baseline
        )
        verdict = f.verdict if f.passed is None else f"{f.verdict} {_mark(f.passed)}"
        rows.append(f"| {f.name} | {value} | {base or '—'} | {f.target} | {verdict} |")
    return "\n".join(rows)


def machine() -> str:
    """The machine the figures were measured on."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vcfkg.bench``: measure and print the table."""
    parser = argparse.ArgumentParser(prog="python -m vcfkg.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and 10,000 batch lines")
    args = parser.parse_args(argv)
    import vcfkg

    package = Path(vcfkg.__file__).parent
    compiled = "byte-compiled as by pip install" if byte_compile(package) else "NOT byte-compiled (read-only folder)"
    print(f"vcfkg benchmark on {machine()}; vcfkg {vcfkg.__version__} from {package}, {compiled}")
    print(table(run(args.quick)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
