"""The tests' one support module: an independent reading of the criteria (the oracle), the shared test patients,
and the hand-typed tables of tests/data.

The oracle's criteria are written from the issue text, not from the graph: if the graph's criteria drift, the tests
comparing against it fail. Its derivations are the one rule set that lives only in the graph (issue 11), so the
oracle reads the vcf:Derivation data of vcf.ttl with its own few lines of rdflib (not vcfkg.derivation nor
queries/) and applies them to a fixed point. The patients are each variant's canonical patient
(tests/data/patients), every single-fact change of them, and seeded random consistent patients.
"""

from __future__ import annotations

import csv
import hashlib
import http.server
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rdflib
from hypothesis import HealthCheck, settings
from rdflib.namespace import DCTERMS, RDF

from vcfkg.resources import ontology_path

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
EXAMPLES = ROOT / "examples"


def read_tsv(name: str) -> list[dict[str, str]]:
    """A tab-separated table of tests/data, as rows of column -> text."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read_sssom() -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The shipped SSSOM mapping set: its YAML header and its rows, read with yaml and csv (not sssom-py)."""
    import yaml

    from vcfkg.mappings import mapping_set_path

    lines = mapping_set_path().read_text(encoding="utf-8").splitlines()
    header = "\n".join(line[1:] for line in lines if line.startswith("#"))
    body = [line for line in lines if not line.startswith("#")]
    return yaml.safe_load(header), list(csv.DictReader(body, delimiter="\t"))


# -- the command in this process ---------------------------------------------------------------------------
def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``vcfkg ARGV`` through ``vcfkg.cli.main`` in this process: exit code, standard output, standard error."""
    from vcfkg.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_patient(tmp_path: Path, patient: object) -> str:
    """The patient as ``tmp_path/patient.json``; its path."""
    path = tmp_path / "patient.json"
    path.write_text(json.dumps(patient))
    return str(path)


# -- the oracle: the criteria read from the issue text ----------------------------------------------------------
BOOLEAN_FACTS = (
    "symptomatic",
    "new_fracture",
    "seen_on_radiographs",
    "malignancy_history",
    "new_back_pain",
    "previously_treated_vcf",
    "multiple_vcfs",
    "prior_vertebral_augmentation",
    "prior_spine_surgery",
    "bone_marrow_edema",
    "intravertebral_cleft",
    "worsening_pain",
    "deformity",
    "pulmonary_dysfunction",
    "mechanical_pain",
)
QUESTIONS = ("imaging", "treatment")
ETIOLOGIES = ("osteoporotic", "benign", "pathologic")
SINS_PAIN = ("mechanical", "occasional", "none")  # the options of the SINS component that derivations read

Truth = bool | None
VCF = rdflib.Namespace("https://w3id.org/vcfkg/")


# -- the oracle's derivations: the graph's vcf:Derivation data, read with rdflib (not by vcfkg), applied -----------
Rule = tuple[str, object, str, object]
"""One derivation in a patient's JSON words: if ``field`` is ``value`` then ``field`` is ``value``."""


class Contradiction(ValueError):
    """A patient's given facts disagree with what the derivations give (such a patient is not consistent)."""


def _json_words(graph: rdflib.Graph, fact: rdflib.term.Node, value: rdflib.term.Node) -> tuple[str, object]:
    """A (property, value) pair of the graph as a patient writes it: ``("worsening_pain", True)``,
    ``("red_flags", "history_of_cancer")``, ``("sins.pain", "mechanical")`` (a SINS option names its component)."""
    field = graph.value(fact, DCTERMS.identifier)
    assert field is not None, f"{fact} has no dcterms:identifier"
    if isinstance(value, rdflib.Literal):
        return str(field), value.toPython()
    identifier = graph.value(value, DCTERMS.identifier)
    assert identifier is not None, f"{value} has no dcterms:identifier"
    component = graph.value(value, VCF.hasComponent)
    if component is not None:
        return f"{field}.{graph.value(component, DCTERMS.identifier)}", str(identifier)
    return str(field), str(identifier)


def derivation_links(graph: rdflib.Graph) -> list[tuple[rdflib.term.Node, ...]]:
    """Each vcf:Derivation of the graph as (ifFact, ifValue, thenFact, thenValue), the RDF terms as stated."""
    links = []
    for node in sorted(graph.subjects(RDF.type, VCF.Derivation)):
        parts = tuple(graph.value(node, VCF[p]) for p in ("ifFact", "ifValue", "thenFact", "thenValue"))
        assert None not in parts, f"{node} lacks one of ifFact, ifValue, thenFact, thenValue"
        links.append(parts)
    return links


def derivation_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The derivations of the graph in ``path`` (default: the shipped vcf.ttl) in a patient's JSON words."""
    graph = rdflib.Graph().parse(path or ontology_path())
    return tuple(
        (*_json_words(graph, if_fact, if_value), *_json_words(graph, then_fact, then_value))
        for if_fact, if_value, then_fact, then_value in derivation_links(graph)
    )


def longest_chain(graph: rdflib.Graph) -> int:
    """The most derivations applied one after another, each deriving a new fact from the previous one's: the
    longest path without a repeated (fact, value) through the graph's derivations (a cycle such as malignancy
    history <=> the history of cancer red flag adds nothing)."""
    steps: dict[tuple[rdflib.term.Node, ...], set[tuple[rdflib.term.Node, ...]]] = {}
    for if_fact, if_value, then_fact, then_value in derivation_links(graph):
        steps.setdefault((if_fact, if_value), set()).add((then_fact, then_value))

    def longest_from(node: tuple[rdflib.term.Node, ...], seen: frozenset[tuple[rdflib.term.Node, ...]]) -> int:
        return max((1 + longest_from(n, seen | {n}) for n in steps.get(node, ()) if n not in seen), default=0)

    return max((longest_from(node, frozenset({node})) for node in steps), default=0)


RULES = derivation_rules()


def derive(patient: Mapping[str, object], rules: Sequence[Rule] = RULES) -> dict[str, object]:
    """The patient's known facts: those given and what ``rules`` give from them, applied until nothing changes.
    SINS options are facts ``sins.<component>``; ``red_flags`` is a set. Raises :class:`Contradiction` when a
    derived value disagrees with a known one."""
    facts: dict[str, object] = {k: v for k, v in patient.items() if k not in ("red_flags", "sins") and v is not None}
    sins = patient.get("sins") or {}
    facts.update({f"sins.{k}": v for k, v in sins.items()})  # type: ignore[attr-defined]
    flags = set(patient.get("red_flags") or ())  # type: ignore[call-overload]

    def known(field: str, value: object) -> bool:
        return value in flags if field == "red_flags" else field in facts and facts[field] == value

    changed = True
    while changed:
        changed = False
        for if_field, if_value, then_field, then_value in rules:
            if not known(if_field, if_value) or known(then_field, then_value):
                continue
            if then_field == "red_flags":
                flags.add(then_value)
            elif then_field in facts:
                raise Contradiction(f"{then_field} is {facts[then_field]}, but {if_field} is {if_value}")
            else:
                facts[then_field] = then_value
            changed = True
    return {**facts, "red_flags": frozenset(flags)}


def _is(facts: Mapping[str, object], key: str, value: bool) -> Truth:
    return None if facts.get(key) is None else facts[key] is value


def _question(facts: Mapping[str, object], wanted: str) -> Truth:
    return None if "question" not in facts else facts["question"] == wanted


def _etiology(facts: Mapping[str, object], wanted: str) -> Truth:
    given = facts.get("etiology")
    if given is None:
        return None
    if wanted == "benign":
        return given in ("benign", "osteoporotic")
    if wanted == "osteoporotic":
        return True if given == "osteoporotic" else (False if given == "pathologic" else None)
    return given == "pathologic"


def _any(*truths: Truth) -> Truth:
    if any(t is True for t in truths):
        return True
    return False if all(t is False for t in truths) else None


def clauses(n: int, f: Mapping[str, object]) -> list[Truth]:
    t = lambda key: _is(f, key, True)  # noqa: E731
    no = lambda key: _is(f, key, False)  # noqa: E731
    table: dict[int, Callable[[], list[Truth]]] = {
        1: lambda: [
            _question(f, "imaging"),
            t("new_fracture"),
            t("symptomatic"),
            t("seen_on_radiographs"),
            no("malignancy_history"),
        ],
        2: lambda: [
            _question(f, "imaging"),
            t("new_fracture"),
            t("symptomatic"),
            t("seen_on_radiographs"),
            t("malignancy_history"),
        ],
        3: lambda: [_question(f, "imaging"), t("new_back_pain"), _any(t("previously_treated_vcf"), t("multiple_vcfs"))],
        4: lambda: [_question(f, "imaging"), no("symptomatic"), t("seen_on_radiographs"), t("malignancy_history")],
        5: lambda: [_question(f, "treatment"), no("symptomatic"), _etiology(f, "osteoporotic")],
        6: lambda: [
            _question(f, "treatment"),
            t("symptomatic"),
            _etiology(f, "osteoporotic"),
            _any(t("bone_marrow_edema"), t("intravertebral_cleft")),
        ],
        7: lambda: [
            _question(f, "treatment"),
            t("new_fracture"),
            t("symptomatic"),
            _any(t("prior_vertebral_augmentation"), t("prior_spine_surgery")),
            # The discussion of variant 7 assumes a non-pathologic fracture (issue 10): benign, osteoporotic counts.
            _etiology(f, "benign"),
        ],
        8: lambda: [
            _question(f, "treatment"),
            _etiology(f, "benign"),
            _any(t("worsening_pain"), t("deformity"), t("pulmonary_dysfunction")),
        ],
        9: lambda: [_question(f, "treatment"), _etiology(f, "pathologic"), t("mechanical_pain")],
    }
    return table[n]()


def status(n: int, patient: Mapping[str, object]) -> str:
    truths = clauses(n, derive(patient))
    if any(t is False for t in truths):
        return "excluded"
    return "matched" if all(t is True for t in truths) else "possible"


def matched(patient: Mapping[str, object]) -> frozenset[int]:
    return frozenset(n for n in range(1, 10) if status(n, patient) == "matched")


# -- shared patients -------------------------------------------------------------------------------------------
CANONICAL = {int(n): p for n, p in json.loads((DATA / "patients" / "canonical.json").read_text()).items()}


def flips(patient: dict) -> list[tuple[str, dict]]:
    """Each single-fact change of a patient: a boolean negated or dropped, an enum changed or dropped."""
    out = []
    for key, value in patient.items():
        dropped = {k: v for k, v in patient.items() if k != key}
        out.append((f"drop-{key}", dropped))
        if isinstance(value, bool):
            out.append((f"flip-{key}", {**patient, key: not value}))
        else:
            choices = QUESTIONS if key == "question" else ETIOLOGIES
            out.extend((f"{key}-{other}", {**patient, key: other}) for other in choices if other != value)
    for key in BOOLEAN_FACTS:
        if key not in patient:
            out.extend((f"add-{key}-{v}".lower(), {**patient, key: v}) for v in (True, False))
    return out


def consistent(patient: dict) -> bool:
    """Whether the patient's given facts agree with every derivation of the graph."""
    try:
        derive(patient)
    except Contradiction:
        return False
    return True


def random_patients(count: int, seed: int = 2022) -> list[dict]:
    rng = random.Random(seed)
    patients: list[dict] = []
    while len(patients) < count:
        patient: dict = {}
        if (q := rng.choice((None, *QUESTIONS, *QUESTIONS))) is not None:
            patient["question"] = q
        if (e := rng.choice((None, *ETIOLOGIES))) is not None:
            patient["etiology"] = e
        for key in BOOLEAN_FACTS:
            value = rng.choice((None, True, False))
            if value is not None:
                patient[key] = value
        if rng.random() < 0.15:
            patient["red_flags"] = ["history_of_cancer"]
        if rng.random() < 0.2:
            patient["sins"] = {"pain": rng.choice(SINS_PAIN)}
        if consistent(patient):
            patients.append(patient)
    return patients


CASES = [pytest.param(p, id=f"v{n}-canonical") for n, p in CANONICAL.items()]
CASES += [
    pytest.param(flipped, id=f"v{n}-{name}")
    for n, p in CANONICAL.items()
    for name, flipped in flips(p)
    if consistent(flipped)
]
RANDOM = random_patients(2000)


# -- the guideline's fingerprint: our prose against the source's text, without shipping the text -------------
RUN = 8
SOURCE_DATA = DATA / "source"  # written by tests/source_fingerprint.py


def words(text: str) -> list[str]:
    """The text's words, normalized: lower case, letters and digits only (punctuation and hyphens split)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def run_hash(run: list[str]) -> str:
    """A short hash of a run of words, as listed in tests/data/source/shingles.txt."""
    return hashlib.blake2b(" ".join(run).encode(), digest_size=5).hexdigest()


def runs(text: str) -> list[tuple[str, str]]:
    """Each run of 8 words of the text with its hash."""
    w = words(text)
    return [(" ".join(w[i : i + RUN]), run_hash(w[i : i + RUN])) for i in range(len(w) - RUN + 1)]


def shared_runs(text: str, shingles: set[str]) -> list[str]:
    """The runs of 8 words of ``text`` that the source also has."""
    return [run for run, digest in runs(text) if digest in shingles]


def load_shingles() -> set[str]:
    """The hashes of every run of 8 words of the source."""
    return set((SOURCE_DATA / "shingles.txt").read_text(encoding="ascii").split())


def load_headings() -> dict[int, set[str]]:
    """The procedure headings of each variant's discussion in the source."""
    headings: dict[int, set[str]] = {}
    for line in (SOURCE_DATA / "headings.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        number, heading = line.split("\t")
        headings.setdefault(int(number), set()).add(heading)
    return headings


# -- the robustness suite: the command in a real process, a misbehaving SPARQL server, hypothesis profiles ----
SHORT_EXAMPLES = int(os.environ.get("VCFKG_FUZZ_SHORT", "25"))
LONG_EXAMPLES = int(os.environ.get("VCFKG_FUZZ_LONG", "10000"))
PROFILES = {
    "short": settings(
        max_examples=SHORT_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    ),
    "long": settings(max_examples=LONG_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)),
}
PROFILE_PARAMS = ["short", pytest.param("long", marks=pytest.mark.long)]
REPORT = os.environ.get("VCFKG_FUZZ_REPORT")  # where the figures script collects inputs tried per surface


class Tally:
    """Counts the inputs one surface was tried with (and the failures, which fail the test), for the figures."""

    def __init__(self, surface: str, profile: str) -> None:
        self.surface, self.profile, self.tried, self.errors = surface, profile, 0, 0

    def __enter__(self) -> Tally:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if REPORT:
            with open(REPORT, "a", encoding="utf-8") as out:
                failed = 0 if kind is None else 1
                record = {"surface": self.surface, "profile": self.profile, "tried": self.tried, "failed": failed}
                out.write(json.dumps(record) + "\n")


def vcfkg(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 120, **kw: Any
) -> subprocess.CompletedProcess[bytes]:
    """``python -m vcfkg ARGS`` in a real process (standard streams are real files, signals are real)."""
    return subprocess.run(
        [sys.executable, "-m", "vcfkg", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
        **kw,
    )


def one_line_error(err: bytes | str) -> str:
    """The single error line of a failed command (asserting there is exactly one, without a traceback)."""
    text = err.decode("utf-8", "replace") if isinstance(err, bytes) else err
    assert text.count("\n") == 1 and text.startswith("vcfkg: "), text[:2000]
    assert "Traceback" not in text
    assert all(c.isprintable() for c in text[:-1]), text
    return text


@dataclass
class Reply:
    """What the stub server answers: a status, headers, a body, optionally trickled one piece at a time."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/sparql-results+json"})
    body: bytes = b""
    trickle: float = 0.0  # seconds between single bytes of the body
    raw: bytes | None = None  # sent as is, instead of a proper HTTP response
    repeat: int = 1  # the body sent this many times (a large answer without holding it in memory)
    delay: float = 0.0  # seconds before answering at all (a server slower than any test's timeout)


class Stub:
    """A SPARQL 'server' on loopback whose answer each test sets in ``reply``."""

    def __init__(self) -> None:
        self.reply = Reply()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                reply = stub.reply
                try:
                    time.sleep(reply.delay)
                    if reply.raw is not None:
                        self.wfile.write(reply.raw)
                        return
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.trickle:
                        for byte in reply.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        for _ in range(reply.repeat):
                            self.wfile.write(reply.body)
                except OSError:  # the client gave up
                    pass

            do_GET = do_POST

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
