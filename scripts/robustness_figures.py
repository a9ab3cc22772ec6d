"""The README's robustness figures, from one command: ``python scripts/robustness_figures.py [--quick]``.

1. The robustness suite's long profile (``pytest -m long tests/robustness``): inputs tried per surface, failures.
2. A 1,000,000-line batch of diverse patients with 1% bad lines: time, peak RSS, every line answered in order,
   an error object at exactly each bad line.
3. Interrupts at random moments of start-up and during a batch; a full device and a full disk.
4. Remote faults against a misbehaving server on loopback.

Prints Markdown tables. A measurement, not a test: the tests are in tests/robustness/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/support.py: the stub server
CONSOLE_SCRIPT = "import os, sys; os.write(2, b'ready\\n'); from vcfkg.interrupt import main; sys.exit(main())"
BAD_LINES = [
    b'{"question": "\xe9"}',  # not UTF-8
    b'{"symptomatic": true',  # cut
    b'{"symptomatic": false, "symptomatic": true}',  # a repeated key
    b'{"colour": "blue"}',  # an unknown key
    b'{"symptomatic": "yes"}',  # a wrong type
    b"",  # empty
]


def fuzz(examples: int) -> str:
    """Run the long profile; one row per surface."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.jsonl"
        env = {**os.environ, "VCFKG_FUZZ_REPORT": str(report), "VCFKG_FUZZ_LONG": str(examples)}
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "long", "tests/robustness"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.monotonic() - started
        rows = [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    lines = ["| surface | inputs tried | failures |", "|---|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['surface']} | {row['tried']:,} | {row['failed']} |")
    total = sum(row["tried"] for row in rows)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    lines.append(f"| all ({len(rows)} surfaces, {elapsed:.0f} s) | {total:,} | {sum(r['failed'] for r in rows)} |")
    return "\n".join(lines) + f"\n\npytest: {summary}"


def batch(lines: int, seed: int = 14) -> str:
    """A batch with 1% bad lines: time, peak RSS, and a check of every output line."""
    from vcfkg import load
    from vcfkg.bench import patients, peak_rss

    rng = random.Random(seed)
    diverse = [json.dumps(p).encode() for p in patients(min(lines, 100_000), seed=seed)]
    bad_at: dict[int, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
        with source.open("wb") as out:
            for number in range(1, lines + 1):
                if rng.random() < 0.01:
                    bad_at[number] = rng.choice(BAD_LINES)
                    out.write(bad_at[number] + b"\n")
                else:
                    line = rng.choice(diverse)
                    out.write(line.replace(b", ", b",\r ", 1) if number % 7 == 0 else line)  # bare \r: JSON space
                    out.write(b"\n")
        started = time.monotonic()
        peak_mb, code = peak_rss(
            [sys.executable, "-m", "vcfkg", "recommend", "--batch", str(source), "--output", str(output)],
            cwd=Path.cwd(),
            env=dict(os.environ),
        )
        elapsed = time.monotonic() - started
        kg = load()
        sample = set(rng.sample(range(1, lines + 1), 1000))
        answered = errors_right = checked = 0
        inputs = source.open("rb")
        with output.open("rb") as answers:
            for number, (given, answer) in enumerate(zip(inputs, answers, strict=False), 1):
                answered += 1
                data = json.loads(answer)
                if number in bad_at:
                    errors_right += data.get("line") == number and "error" in data
                elif number in sample:
                    from vcfkg.batch import AnswerWriter

                    checked += json.loads(AnswerWriter()(kg.recommend(json.loads(given)))) == data
        inputs.close()
    rows = [
        "| figure | value |",
        "|---|---|",
        f"| lines (1% bad: not UTF-8, cut, repeated key, unknown key, wrong type, empty; every 7th with a bare \\r) "
        f"| {lines:,} ({len(bad_at):,} bad) |",
        f"| exit code | {code} (1: some lines had errors) |",
        f"| wall time | {elapsed:.1f} s |",
        f"| peak RSS | {peak_mb:.0f} MB |",
        f"| output lines, in input order | {answered:,} |",
        f"| error objects at exactly the bad lines | {errors_right:,} of {len(bad_at):,} |",
        f"| sampled good lines equal to the API's answer | {checked} of {len(sample - set(bad_at))} |",
    ]
    return "\n".join(rows)


def interrupts(count: int) -> str:
    """SIGINT at random moments after vcfkg's code starts (the interpreter's own start-up is not vcfkg's)."""
    rng = random.Random(15)
    commands = [["recommend", "--batch", "-"], ["validate"], ["classify", "-"], ["variants"]]
    outcomes: dict[str, int] = {}
    for _ in range(count):
        command = rng.choice(commands)
        process = subprocess.Popen(
            [sys.executable, "-c", CONSOLE_SCRIPT, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stderr is not None
        process.stderr.read(6)
        time.sleep(rng.uniform(0.003, 0.3))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        if process.returncode == 130 and not err:
            key = "exit 130, nothing on stderr"
        elif process.returncode == 0 and not err:
            key = "finished before the signal (exit 0)"
        else:
            key = f"exit {process.returncode}: {err.decode(errors='replace').strip()[-80:]!r}"
        outcomes[key] = outcomes.get(key, 0) + 1
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "out.jsonl"
        process = subprocess.Popen(
            [sys.executable, "-m", "vcfkg", "recommend", "--batch", "-", "--output", str(output)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdin is not None
        process.stdin.write(b'{"symptomatic": true}\n' * 10_000)
        process.stdin.flush()
        time.sleep(2)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        left = sorted(p.name for p in Path(folder).iterdir())
    rows = ["| interrupt | runs |", "|---|---:|"]
    rows += [f"| {key} | {n} |" for key, n in sorted(outcomes.items())]
    rows.append(f"| during a batch to --output: exit {process.returncode}, files left: {left or 'none'} | 1 |")
    return "\n".join(rows)


def _fsize(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@contextlib.contextmanager
def small_disk(size: str) -> Iterator[tuple[Path, Callable[[], None] | None, str]]:
    """A real full disk (a tmpfs of ``size``, when this runs as root and may mount), else a file size limit."""
    with tempfile.TemporaryDirectory() as folder:
        mounted = (
            os.geteuid() == 0
            and subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], capture_output=True, check=False
            ).returncode
            == 0
        )
        try:
            if mounted:
                yield Path(folder), None, f"a {size} tmpfs"
            else:
                yield Path(folder), _fsize(50_000), "a 50 KB file size limit"
        finally:
            if mounted:
                subprocess.run(["umount", folder], check=False)


def disk_full() -> str:
    """Every command with standard output on /dev/full; a batch and the cache on a 'disk' that fills up."""
    examples = ROOT / "examples"
    commands = [
        ["variants"], ["variant", "1"], ["procedures"], ["recommend", str(examples / "patient.json")],
        ["recommend", "--batch", str(examples / "patients.jsonl")], ["sins", "--level", "T12"], ["red-flags"],
        ["lookup", "snomedct:266987004"], ["mappings"], ["query", "variants"], ["query", "--list"],
        ["validate", str(examples / "patient.ttl")], ["--help"], ["--version"],
    ]  # fmt: skip
    one_line = 0
    with open("/dev/full", "wb") as full:
        for command in commands:
            done = subprocess.run(
                [sys.executable, "-m", "vcfkg", *command], stdout=full, stderr=subprocess.PIPE, check=False
            )
            one_line += done.returncode == 3 and done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr
    with tempfile.TemporaryDirectory() as inputs, small_disk("64k") as (folder, limit, disk):
        source, output = Path(inputs) / "in.jsonl", folder / "out.jsonl"
        source.write_bytes((examples / "patients.jsonl").read_bytes() * 200)
        output.write_text("previous answers\n")
        done = subprocess.run(
            [sys.executable, "-m", "vcfkg", "recommend", "--batch", str(source), "--output", str(output)],
            capture_output=True,
            preexec_fn=limit,
            check=False,
        )
        kept = output.read_text() == "previous answers\n"
        stray = [p.name for p in folder.iterdir() if p.name != "out.jsonl"]
        cache = folder / "cache"
        filler = folder / "filler"
        filler.write_bytes(b"")
        with contextlib.suppress(OSError), filler.open("ab") as fill:  # leave less room than the table needs
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            fill.write(b"x" * max(free - 4096, 0))
        cached = subprocess.run(
            [sys.executable, "-m", "vcfkg", "variant", "1"],
            capture_output=True,
            env={**os.environ, "VCFKG_CACHE_DIR": str(cache)},
            preexec_fn=_fsize(2_000) if limit else None,
            check=False,
        )
        cache_left = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    return "\n".join(
        [
            "| case | result |",
            "|---|---|",
            f"| standard output on /dev/full, {len(commands)} commands | {one_line} exit 3 with one line |",
            f"| batch --output on a full disk ({disk}) | exit {done.returncode}: "
            f"{done.stderr.decode().strip()}; old file kept: {kept}; stray files: {stray or 'none'} |",
            f"| cache write on a full disk ({disk}) | exit {cached.returncode}, answer printed: "
            f"{cached.stdout.startswith(b'Variant 1')}; files left in the cache folder: {cache_left or 'none'} |",
        ]
    )


@contextlib.contextmanager
def _server() -> Iterator[object]:
    from support import Stub

    stub = Stub()
    try:
        yield stub
    finally:
        stub.close()


def remote_faults() -> str:
    """Each fault of a server, the error vcfkg gives and how long it took."""
    from support import Reply

    from vcfkg import remote
    from vcfkg.errors import VcfkgError
    from vcfkg.publish import publish

    select = "SELECT ?version WHERE { ?s ?p ?version }"
    empty = b'{"head": {"vars": ["version"]}, "results": {"bindings": []}}'
    no_count = b'{"head": {"vars": ["n"]}, "results": {"bindings": []}}'
    other_column = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}'
    big = Reply(body=b" " * (1 << 20), repeat=1024)
    cases: list[tuple[str, Reply, Callable[[str], object]]] = [
        ("1 byte every 0.5 s, --timeout 3", Reply(body=empty + b" " * 1000, trickle=0.5),
         lambda url: remote.RemoteEngine(url, timeout=3).select(select)),
        ("a 1 GB answer", big, lambda url: remote.RemoteEngine(url, timeout=120).select(select)),
        ("JSON nested 100,000 deep", Reply(body=b"[" * 100_000 + b"]" * 100_000),
         lambda url: remote.RemoteEngine(url).select(select)),
        ("SPARQL JSON without the asked column",
         Reply(body=other_column),
         lambda url: remote.RemoteEngine(url).select(select)),
        ("publish: the count query answers no rows", Reply(body=no_count),
         lambda url: publish(url, timeout=10)),
        ("HTML instead of results", Reply(headers={"Content-Type": "text/html"}, body=b"<h1>Welcome</h1>"),
         lambda url: remote.RemoteEngine(url).select(select)),
        ("--timeout nan", Reply(), lambda url: remote.RemoteEngine(url, timeout=float("nan"))),
        ("endpoint http://[::1", Reply(), lambda url: remote.RemoteEngine("http://[::1")),
    ]  # fmt: skip
    rows = ["| server fault | vcfkg says | time |", "|---|---|---:|"]
    for name, reply, call in cases:
        with _server() as stub:
            stub.reply = reply  # type: ignore[attr-defined]
            started = time.monotonic()
            try:
                call(stub.url)  # type: ignore[attr-defined]
                said = "no error (wrong)"
            except VcfkgError as error:
                said = f"{type(error).__name__}: {str(error).replace(stub.url, 'URL')}"  # type: ignore[attr-defined]
            rows.append(f"| {name} | {said[:140]} | {time.monotonic() - started:.1f} s |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 inputs per surface, 100,000 batch lines")
    parser.add_argument("--only", choices=("fuzz", "batch", "interrupts", "disk", "remote"))
    args = parser.parse_args()
    sections = {
        "fuzz": lambda: fuzz(100 if args.quick else 10_000),
        "batch": lambda: batch(100_000 if args.quick else 1_000_000),
        "interrupts": lambda: interrupts(30 if args.quick else 300),
        "disk": disk_full,
        "remote": remote_faults,
    }
    for name, section in sections.items():
        if args.only in (None, name):
            print(f"### {name}\n\n{section()}\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
