"""The attack kept as tests: a hypothesis strategy per input surface, each asserting that vcfkg answers or fails
with its own error type (the command: exit 2 and one printable line), never anything else.

Every test runs twice: the short profile in every test run, the long one (``-m long``, 10,000 inputs per
surface) for the README's figures (``python -m vcfkg.bench --robustness``).
"""

from __future__ import annotations

import contextlib
import io
import json
import string
import sys
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import PROFILE_PARAMS, PROFILES, Reply, Stub, Tally

import vcfkg as api
from vcfkg import batch, cli, queries, remote
from vcfkg import cache as table_cache
from vcfkg.errors import EndpointError, GraphLoadError, InvalidPatientError, VcfkgError
from vcfkg.patient import load_patient_text
from vcfkg.patient_rdf import read_patient_rdf
from vcfkg.resources import ontology_path

VCF = "https://w3id.org/vcfkg/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@cache
def vocabulary() -> dict[str, Any]:
    """The names a careless user or an attacker would reach for first: the graph's own keys and values."""
    kg = api.load()
    compiled = kg.compiled
    rows = kg.query("vocabulary/patient_rdf")
    codes = sorted({str(r["code"]) for r in kg.query("all_mappings")})
    return {
        "keys": sorted([*compiled.fact_properties, "red_flags", "sins", "codes", "measurements"]),
        "measurements": sorted({threshold.field for threshold in compiled.deformity_thresholds}),
        "values": sorted({v for values in compiled.object_facts.values() for v in values}),
        "flags": list(compiled.red_flags),
        "components": [*compiled.sins_options, "level"],
        "options": sorted({o for options in compiled.sins_options.values() for o in options}),
        "levels": list(compiled.sins_levels),
        "properties": sorted({str(r["property"]) for r in rows}),
        "individuals": sorted({str(r["individual"]) for r in rows if r["individual"] is not None}),
        "codes": codes[:200],
        "curies": ["snomedct:266987004", "SNOMEDCT:42942008", "loinc:36531-2", "radlex:RID4667"],
        "queries": sorted(queries.registry()),
    }


def words(pool: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(vocabulary()[pool]), st.text(max_size=20))


# -- strategies --------------------------------------------------------------------------------------------
def json_values(depth: int = 3) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        words("values"),
        words("flags"),
        words("options"),
        words("levels"),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5), st.dictionaries(st.one_of(words("keys"), words("components")), children)
        ),
        max_leaves=5,
    )


def patients() -> st.SearchStrategy[Any]:
    sins = st.dictionaries(words("components"), st.one_of(words("options"), words("levels"), json_values()))
    numbers = st.one_of(st.integers(-10, 110), st.floats(allow_nan=False), st.integers(), json_values())
    measurements = st.dictionaries(words("measurements"), numbers, max_size=5)
    fields = st.dictionaries(
        words("keys"),
        st.one_of(
            st.booleans(),
            words("values"),
            st.lists(words("flags"), max_size=4),
            sins,
            measurements,
            st.lists(st.one_of(st.sampled_from(vocabulary()["curies"]), st.text(max_size=12)), max_size=3),
            json_values(),
        ),
        max_size=6,
    )
    return st.one_of(fields, json_values())


def mutated_text() -> st.SearchStrategy[str]:
    """JSON text of a patient, then cut, doubled or spliced with odd characters."""
    return st.tuples(patients().map(json.dumps), st.integers(0, 200), st.text(max_size=8), st.integers(0, 3)).map(
        lambda t: [t[0], t[0][: t[1]] + t[2] + t[0][t[1] :], t[0][: t[1]], t[0][:-1] + "," + t[0][1:]][t[3]]
    )


def batch_lines() -> st.SearchStrategy[list[bytes]]:
    line = st.one_of(
        patients().map(lambda p: json.dumps(p).encode()),
        mutated_text().map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
        st.sampled_from([b"", b"\r", b"  ", b'{"symptomatic": true,\r"question": "imaging"}', b"\xff\xfe", b"{}\r"]),
    )
    return st.lists(line.map(lambda b: b.replace(b"\n", b"")), min_size=1, max_size=5)


def rdf_objects() -> st.SearchStrategy[str]:
    datatypes = ["boolean", "integer", "decimal", "string", "date", "double"]
    lexical = st.one_of(
        st.sampled_from(["true", "false", " true ", "1", "0", "yes", "TRUE", "1,5", "abc", "9" * 200]),
        st.text(alphabet=string.printable, max_size=10),
    )
    return st.one_of(
        st.sampled_from(vocabulary()["individuals"]).map(lambda iri: f"<{iri}>"),
        st.sampled_from(["true", "false", "1", "[]", "_:b", "<urn:x>", '"imaging"', '"T12"@en']),
        st.tuples(lexical, st.sampled_from(datatypes)).map(lambda t: f"{json.dumps(t[0])}^^<{XSD}{t[1]}>"),
    )


def rdf_statements() -> st.SearchStrategy[list[tuple[str, str, str]]]:
    subject = st.sampled_from(["<urn:p>", "<urn:p>", "<urn:p>", "<urn:q>", f"<{VCF}symptomatic>", "_:b"])
    predicate = st.one_of(
        st.sampled_from(vocabulary()["properties"]).map(lambda iri: f"<{iri}>"),
        st.sampled_from(
            [
                "a",
                "<http://purl.org/dc/terms/identifier>",
                "<http://www.w3.org/2000/01/rdf-schema#label>",
                f"<{VCF}colour>",
                "<urn:private>",
            ]
        ),
    )
    statement = st.tuples(subject, predicate, rdf_objects()).map(
        lambda t: (t[0], t[1], f"<{VCF}PatientDescription>" if t[1] == "a" and t[2] == "[]" else t[2])
    )
    return st.lists(statement, max_size=8).map(lambda s: [("<urn:p>", "a", f"<{VCF}PatientDescription>"), *s])


def turtle(statements: list[tuple[str, str, str]]) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in statements)


def json_ld(statements: list[tuple[str, str, str]]) -> str:
    """The statements as JSON-LD (node objects with @id, @type, @value)."""
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in statements:
        node = nodes.setdefault(s, {"@id": s.strip("<>")})
        key = "@type" if p == "a" else p.strip("<>")
        if o.startswith("<"):
            value: Any = o.strip("<>") if key == "@type" else {"@id": o.strip("<>")}
        elif "^^<" in o:
            lexical, datatype = o.rsplit("^^", 1)
            value = {"@value": json.loads(lexical), "@type": datatype.strip("<>")}
        elif o in ("true", "false"):
            value = o == "true"
        else:
            value = o
        node.setdefault(key, []).append(value)
    return json.dumps({"@graph": list(nodes.values())})


# What a generated command line starts with: every command, or an option given before one.
FIRST_WORDS = [
    "variants",
    "variant",
    "procedures",
    "recommend",
    "sins",
    "red-flags",
    "lookup",
    "mappings",
    "query",
    "--format",
]


def argv() -> st.SearchStrategy[list[str]]:
    example = str(Path(__file__).parents[2] / "examples" / "patient.json")
    word = st.one_of(
        st.sampled_from(
            [
                *FIRST_WORDS,
                "json",
                "table",
                "--explain",
                "--engine",
                "sparql",
                "compiled",
                "-",
                "--batch",
                "--output",
                "--level",
                "T12",
                "--pain",
                "mechanical",
                "--param",
                "number=2",
                "number=" + "9" * 500,
                "1",
                "12",
                "0",
                "--timeout",
                "nan",
                "--graph",
                "/dev/null",
                "variant_procedures",
                "fever",
                "snomedct:266987004",
                "vcf:symptomatic",
                example,
                "--help",
                "--version",
                "--list",
                "\n",
                "\x1b[31m",
                "x" * 300,
            ]
        ),
        st.text(max_size=12),
    )
    first = st.sampled_from(FIRST_WORDS)
    return st.tuples(first, st.lists(word, max_size=6)).map(lambda t: [t[0], *t[1]])


def sparql_answers() -> st.SearchStrategy[bytes]:
    term = st.one_of(
        st.fixed_dictionaries(
            {"type": st.sampled_from(["uri", "literal", "typed-literal", "bnode", "x"]), "value": st.text(max_size=8)},
            optional={
                "datatype": st.sampled_from([XSD + "integer", XSD + "boolean", XSD + "decimal", "urn:x"]),
                "xml:lang": st.just("en"),
            },
        ),
        json_values(),
    )
    names = st.lists(st.sampled_from(["version", "n", "x", "number"]), max_size=3)
    document = st.fixed_dictionaries(
        {
            "head": st.one_of(st.fixed_dictionaries({"vars": st.one_of(names, json_values())}), json_values()),
            "results": st.one_of(
                st.fixed_dictionaries(
                    {"bindings": st.lists(st.dictionaries(st.sampled_from(["version", "n"]), term), max_size=3)}
                ),
                json_values(),
            ),
        },
    )
    return st.one_of(
        document.map(lambda d: json.dumps(d).encode()),
        st.binary(max_size=60),
        json_values().map(lambda v: json.dumps(v).encode()),
    )


def cache_contents() -> st.SearchStrategy[bytes]:
    shaped = json_values().map(lambda v: json.dumps(v).encode())
    checked = shaped.map(lambda body: b"%08x\n" % zlib.crc32(body) + body)
    return st.one_of(shaped, checked, st.binary(max_size=200), st.just(b"[" * 50_000))


# -- the surfaces ------------------------------------------------------------------------------------------
def _fuzz(surface: str, profile: str, strategy: st.SearchStrategy[Any], check: Callable[[Any], None]) -> None:
    with Tally(surface, profile) as tally:

        @PROFILES[profile]
        @given(strategy)
        def run(value: Any) -> None:
            tally.tried += 1
            check(value)

        run()


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_patient_json(profile: str, kg: api.KnowledgeGraph) -> None:
    def check(text: str) -> None:
        with contextlib.suppress(InvalidPatientError):
            answer = kg.recommend(kg.parse_patient(load_patient_text(text)))
            assert len(answer.matched) + len(answer.possible) + len(answer.excluded) == 9  # each variant once

    _fuzz("patient JSON", profile, st.one_of(patients().map(json.dumps), mutated_text()), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_batch_lines(profile: str, kg: api.KnowledgeGraph) -> None:
    def check(lines: list[bytes]) -> None:
        out = io.BytesIO()
        total, failed = batch.run(kg, io.BytesIO(b"\n".join(lines) + b"\n"), out)
        answers = [json.loads(line) for line in out.getvalue().splitlines()]
        assert total == len(lines) == len(answers)
        errors = [n for n, answer in enumerate(answers, 1) if "error" in answer]
        assert len(errors) == failed and all(answers[n - 1]["line"] == n for n in errors)

    _fuzz("batch lines", profile, batch_lines(), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
@pytest.mark.parametrize("syntax", ["turtle", "json-ld"])
def test_rdf_patients(profile: str, syntax: str, kg: api.KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / ("patient.ttl" if syntax == "turtle" else "patient.jsonld")
    write = turtle if syntax == "turtle" else json_ld

    def check(statements: list[tuple[str, str, str]]) -> None:
        path.write_text(write(statements), encoding="utf-8", errors="surrogatepass")
        with contextlib.suppress(InvalidPatientError, GraphLoadError):
            kg.parse_patient(read_patient_rdf(path, kg))

    _fuzz(f"RDF patients ({syntax})", profile, rdf_statements(), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_sins_options(profile: str, kg: api.KnowledgeGraph) -> None:
    def check(options: dict[Any, Any]) -> None:
        with contextlib.suppress(VcfkgError):
            kg.sins(options)

    values = st.one_of(words("options"), words("levels"), json_values())
    keys = st.one_of(words("components"), st.integers(), st.none())
    _fuzz("SINS options", profile, st.dictionaries(keys, values, max_size=8), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_red_flags(profile: str, kg: api.KnowledgeGraph) -> None:
    def check(flags: list[Any]) -> None:
        with contextlib.suppress(VcfkgError):
            kg.red_flags(flags)
        with contextlib.suppress(VcfkgError):
            kg.recommend({"red_flags": flags})

    _fuzz("red flags", profile, st.lists(st.one_of(words("flags"), json_values()), max_size=6), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_codes(profile: str, kg: api.KnowledgeGraph) -> None:
    def check(codes: Any) -> None:
        with contextlib.suppress(VcfkgError):
            kg.recommend({"codes": codes})

    code = st.one_of(
        st.sampled_from(vocabulary()["curies"]),
        st.sampled_from(vocabulary()["codes"]),
        st.tuples(st.sampled_from(["snomedct", "SNOMEDCT", "loinc", "radlex", "x", ""]), st.text(max_size=10)).map(
            ":".join
        ),
        json_values(),
    )
    _fuzz("codes", profile, st.one_of(st.lists(code, max_size=6), json_values()), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_query_parameters(profile: str, kg: api.KnowledgeGraph) -> None:
    from vcfkg.engines import IRI

    def check(case: tuple[str, dict[str, Any]]) -> None:
        name, params = case
        with contextlib.suppress(VcfkgError):
            kg.query(name, **params)

    value = st.one_of(
        json_values(),
        st.sampled_from(vocabulary()["individuals"]).map(IRI),
        st.text(max_size=10).map(IRI),
        st.lists(st.integers(-3, 12), max_size=3),
    )
    names = st.sampled_from(["number", "code", "term", "identifier", "patient", "procedureId", "flag", "options"])
    case = st.tuples(
        st.one_of(st.sampled_from(vocabulary()["queries"]), st.text(max_size=10)),
        st.dictionaries(st.one_of(names, st.text(min_size=1, max_size=6)), value, max_size=3),
    )
    _fuzz("query parameters", profile, case, check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_cli_arguments(profile: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)

    def check(case: tuple[list[str], bytes]) -> None:
        args, stdin = case
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(args)
        assert code in (0, 1, 2, 3), (args, code)
        if code:
            lines = err.getvalue().splitlines()
            assert len(lines) == 1 and lines[0].startswith("vcfkg: ") and lines[0].isprintable(), (args, lines)

    stdin = st.one_of(patients().map(lambda p: json.dumps(p).encode()), st.binary(max_size=30))
    _fuzz("CLI arguments", profile, st.tuples(argv(), stdin), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_cache_contents(profile: str, kg: api.KnowledgeGraph, cache_dir: Path) -> None:
    cache_dir.mkdir()
    cached = cache_dir / f"compiled-{table_cache.content_key(ontology_path())}.json"

    def check(content: bytes) -> None:
        cached.write_bytes(content)
        assert table_cache.load_or_compile(ontology_path(), lambda: kg.compiled) == kg.compiled
        assert table_cache.decode(cached.read_bytes()) == kg.compiled  # rewritten when it was not the table

    _fuzz("cache contents", profile, cache_contents(), check)


@pytest.mark.parametrize("profile", PROFILE_PARAMS)
def test_remote_answers(profile: str, stub: Stub) -> None:
    engine = remote.RemoteEngine(stub.url, timeout=10)

    def check(case: tuple[int, str, bytes]) -> None:
        status, content_type, body = case
        stub.reply = Reply(status=status, headers={"Content-Type": content_type}, body=body)
        with contextlib.suppress(EndpointError):
            engine.select("SELECT ?version ?n WHERE { ?s ?version ?n }")

    statuses = st.sampled_from([200, 200, 200, 204, 301, 400, 404, 500, 503])
    types = st.sampled_from(["application/sparql-results+json", "text/html", "application/json", "x/y"])
    _fuzz("remote answers", profile, st.tuples(statuses, types, sparql_answers()), check)
