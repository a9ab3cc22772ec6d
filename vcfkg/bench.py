"""The vcfkg benchmark: ``python -m vcfkg.bench [--quick]`` prints a table of medians with their spread and,
in the same run, each figure's baseline and the ratio to its target. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
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
FACTS = (
    "symptomatic", "new_fracture", "seen_on_radiographs", "malignancy_history", "new_back_pain",
    "previously_treated_vcf", "multiple_vcfs", "prior_spine_surgery", "bone_marrow_edema", "intravertebral_cleft",
    "deformity", "pulmonary_dysfunction",
)  # fmt: skip
BASELINE_BATCH = "import json,sys\nfor line in sys.stdin: sys.stdout.write(json.dumps(json.loads(line)) + '\\n')\n"


@dataclass(frozen=True)
class Figure:
    name: str
    samples: list[float]
    unit: str
    baseline: str = ""
    baseline_samples: tuple[float, ...] = ()
    target: str = ""
    verdict: str = ""


def patients(count: int, seed: int = 6) -> list[dict[str, object]]:
    """Seeded, consistent patients covering every variant and many unknowns."""
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for _ in range(count):
        patient: dict[str, object] = {"question": rng.choice(("imaging", "treatment"))}
        for key in FACTS:
            if rng.random() < 0.7:
                patient[key] = rng.random() < 0.5
        if rng.random() < 0.7:
            patient["etiology"] = rng.choice(("osteoporotic", "benign", "pathologic"))
        out.append(patient)
    return out


def wall(command: Sequence[str], repeat: int, stdin: Path | None = None) -> tuple[list[float], int]:
    """Wall times of whole processes, and the peak RSS (KiB) of the largest."""
    times: list[float] = []
    peak = 0
    for _ in range(repeat):
        with open(stdin or os.devnull, "rb") as source:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - start)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}")
        peak = max(peak, usage.ru_maxrss)
    return times, peak


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
    scale = {"s": 1, "ms": 1e3, "µs": 1e6}[unit]
    return f"{seconds * scale:.3g} {unit}"


def spread(samples: Sequence[float], unit: str) -> str:
    return f"{fmt(min(samples), unit)}–{fmt(max(samples), unit)}"


def run(quick: bool) -> list[Figure]:
    import vcfkg

    repeat = 3 if quick else 15
    vcfkg_cmd = [sys.executable, "-m", "vcfkg"]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        patient_file = folder / "patient.json"
        patient_file.write_text(json.dumps(EXAMPLE_PATIENT))
        wall([*vcfkg_cmd, "recommend", str(patient_file)], 1)  # warm the decision-table cache and the OS cache

        passes, _ = wall([sys.executable, "-c", "pass"], repeat)
        cold, peak = wall([*vcfkg_cmd, "recommend", str(patient_file)], repeat)
        ratio = statistics.median(cold) / statistics.median(passes)
        figures.append(Figure("cold `vcfkg recommend patient.json` (whole process)", cold, "ms",
                              "`python -c pass`", tuple(passes), "≤ 4×", f"{ratio:.1f}×"))  # fmt: skip

        kg = vcfkg.load()
        sample = patients(1000)
        cycle = iter(sample * 1000)
        compiled = per_call(lambda: kg.recommend(next(cycle)), 2000 if quick else 20000, repeat)
        median = statistics.median(compiled)
        figures.append(Figure("warm `kg.recommend(p)`, compiled path", compiled, "µs", "", (), "≤ 20 µs",
                              f"{median * 1e6:.1f} µs"))  # fmt: skip

        table = kg.matcher

        def unseen() -> object:
            table.memo.clear()  # every call evaluates the criteria as for a combination not seen before
            return kg.recommend(next(cycle))

        fresh = per_call(unseen, 2000 if quick else 20000, repeat)
        figures.append(Figure("… the same, fact combination not yet in the decision table", fresh, "µs", "", (),
                              "report", f"{statistics.median(fresh) * 1e6:.1f} µs"))  # fmt: skip

        rdflib_kg = vcfkg.load(store="rdflib")
        few = sample[:20]
        oxi = per_call(lambda: [kg.recommend(p, method="sparql") for p in few], 1, repeat)
        rdf = per_call(lambda: [rdflib_kg.recommend(p, method="sparql") for p in few[:3]], 1, 2 if quick else 3)
        oxi_each = [s / len(few) for s in oxi]
        rdf_each = [s / 3 for s in rdf]
        ratio = statistics.median(rdf_each) / statistics.median(oxi_each)
        figures.append(Figure("warm `kg.recommend(p, engine=\"sparql\")` per patient", oxi_each, "ms",
                              "same on rdflib", tuple(rdf_each), "≥ 20× faster", f"{ratio:.0f}× faster"))  # fmt: skip

        lines = 10_000 if quick else 100_000
        batch = folder / "patients.jsonl"
        with batch.open("w") as out:
            for i in range(lines):
                out.write(json.dumps(sample[i % len(sample)]) + "\n")
        baseline_script = folder / "baseline.py"
        baseline_script.write_text(BASELINE_BATCH)
        base, _ = wall([sys.executable, str(baseline_script)], max(2, repeat // 5), stdin=batch)
        batch_times, batch_peak = wall([*vcfkg_cmd, "recommend", "--batch", "-"], max(2, repeat // 5), stdin=batch)
        ratio = statistics.median(batch_times) / statistics.median(base)
        figures.append(Figure(f"`recommend --batch` {lines:,} lines (whole process)", batch_times, "s",
                              "read + write with `json`, no logic", tuple(base), "≤ 3×", f"{ratio:.1f}×"))  # fmt: skip

        validate, _ = wall([*vcfkg_cmd, "validate"], max(2, repeat // 3))
        median = statistics.median(validate)
        figures.append(Figure("`vcfkg validate` (whole process)", validate, "s", "", (), "≤ 1 s",
                              f"{median:.2f} s"))  # fmt: skip

        try:
            from vcfkg.reasoning import classify_many

            hermit = per_call(lambda: classify_many(sample[:100]), 1, 1 if quick else 3)
            figures.append(Figure("HermiT classification of 100 patients", hermit, "s", "", (), "report",
                                  f"{statistics.median(hermit):.2f} s"))  # fmt: skip
        except (ImportError, vcfkg.VcfkgError) as error:
            figures.append(Figure("HermiT classification of 100 patients", [float("nan")], "s", "", (), "report",
                                  f"not run: {error}"))  # fmt: skip

        figures.append(Figure("peak RSS of `vcfkg recommend`", [peak / 1024], "MB", "", (), "≤ 100 MB",
                              f"{peak / 1024:.0f} MB (batch: {batch_peak / 1024:.0f} MB)"))  # fmt: skip
    return figures


def table(figures: list[Figure]) -> str:
    rows = ["| figure | median (min–max) | baseline in the same run | target | result |", "|---|---|---|---|---|"]
    for f in figures:
        if f.unit == "MB":
            value = f"{f.samples[0]:.0f} MB"
        else:
            value = f"{fmt(statistics.median(f.samples), f.unit)} ({spread(f.samples, f.unit)})"
        base = (
            f"{f.baseline}: {fmt(statistics.median(f.baseline_samples), f.unit)}" if f.baseline_samples else f.baseline
        )
        rows.append(f"| {f.name} | {value} | {base or '—'} | {f.target} | {f.verdict} |")
    return "\n".join(rows)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vcfkg.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and 10,000 batch lines")
    args = parser.parse_args(argv)
    print(f"vcfkg benchmark on {machine()}")
    print(table(run(args.quick)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
