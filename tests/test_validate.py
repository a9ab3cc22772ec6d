"""SHACL validation: the shipped graph conforms, each rule catches its fixture, mutations are caught, CLI contract."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import RDF, SH

import vcfkg
from vcfkg.cli import main
from vcfkg.errors import GraphLoadError
from vcfkg.resources import ontology_path, shapes_dir
from vcfkg.validate import ValidationReport, Violation, format_text, validate

DATA = Path(__file__).parent / "data" / "shapes"
VCF = "https://w3id.org/vcfkg/"
PREFIXES = {"vcf:": VCF, "ex:": "http://example.org/"}


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _expand(curie: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if curie.startswith(prefix):
            return namespace + curie.removeprefix(prefix)
    return curie


def _expected_by_fixture() -> dict[tuple[str, str], set[tuple[str, str | None, str]]]:
    """expected.tsv: per fixture (and whether it is checked with the graph), its (shape, path, focus) results."""
    expected: dict[tuple[str, str], set[tuple[str, str | None, str]]] = {}
    for row in _rows("expected.tsv"):
        path = None if row["path"] == "-" else row["path"]
        expected.setdefault((row["fixture"], row["graph"]), set()).add(
            (row["source_shape"], path, _expand(row["focus"]))
        )
    return expected


EXPECTED = _expected_by_fixture()


# -- the shapes graph itself -----------------------------------------------------------------------------
def _shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(shapes_dir().glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_shapes_parse_in_rdflib_and_pyoxigraph() -> None:
    for path in sorted(shapes_dir().glob("*.ttl")):
        store = pyoxigraph.Store()
        store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        assert len(store) == len(rdflib.Graph().parse(path, format="turtle")) > 0


def test_every_shape_has_a_message() -> None:
    """Every property shape, and every node shape with node-level constraints, says what is wrong in words."""
    graph = _shapes_graph()
    node_level = (SH["or"], SH["and"], SH["not"], SH.xone, SH.closed, SH.sparql)
    for shape in set(graph.subjects(RDF.type, SH.PropertyShape)) | set(graph.subjects(RDF.type, SH.NodeShape)):
        if (shape, RDF.type, SH.NodeShape) in graph and not any(graph.value(shape, p) for p in node_level):
            continue
        messages = list(graph.objects(shape, SH.message)) + [
            m for constraint in graph.objects(shape, SH.sparql) for m in graph.objects(constraint, SH.message)
        ]
        assert messages, f"{shape} has no sh:message"
        assert all(m.language == "en" and len(m) > 20 for m in messages), f"{shape}: message must be English prose"


def test_every_shape_with_results_has_an_iri() -> None:
    """Reports name their source shape, so every shape that can report is named (blank nodes only inside)."""
    graph = _shapes_graph()
    for shape in graph.subjects(RDF.type, SH.PropertyShape):
        assert isinstance(shape, rdflib.URIRef), f"anonymous property shape {graph.value(shape, SH.name)}"


# -- the shipped graph -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped_report() -> ValidationReport:
    return validate()


def test_shipped_graph_conforms(shipped_report: ValidationReport) -> None:
    assert shipped_report.conforms, format_text(shipped_report)
    assert shipped_report.violations == ()


def test_shipped_graph_with_graph_flag_is_the_same(shipped_report: ValidationReport) -> None:
    assert validate(with_graph=True) == shipped_report


# -- negative fixtures: each breaks one rule -------------------------------------------------------------
@pytest.mark.parametrize(
    ("fixture", "graph"), sorted(EXPECTED), ids=[f"{f.removesuffix('.ttl')}-{g}" for f, g in sorted(EXPECTED)]
)
def test_fixture_fails_with_expected_shape_and_path(fixture: str, graph: str) -> None:
    report = validate([DATA / "invalid" / fixture], with_graph=graph == "with-graph")
    assert not report.conforms
    found = {(v.source_shape, v.path, v.focus) for v in report.violations}
    assert found == EXPECTED[fixture, graph], format_text(report)
    for violation in report.violations:
        assert violation.severity == "Violation"
        assert violation.message and violation.focus_label


def test_every_invalid_fixture_is_expected() -> None:
    fixtures = {path.name for path in (DATA / "invalid").iterdir()}
    assert fixtures == {fixture for fixture, _ in EXPECTED}
    assert len(fixtures) >= 20


def test_fixtures_cover_the_issue_examples() -> None:
    shapes = {shape for results in EXPECTED.values() for shape, _, _ in results}
    for shape in (
        "vcfsh:Rating-category",  # a rating with two categories
        "vcfsh:Rating-imagingVariantRatesImaging",  # a treatment rated in an imaging variant
        "vcfsh:SinsClass-noOverlap",  # overlapping SINS classes
        "vcfsh:Variant-rowOrder",  # a UA row after an UNA row
        "vcfsh:MappingLink-target",  # a SNOMED link to a non-SNOMED IRI
        "vcfsh:Patient-worseningPainImpliesSymptomatic",  # asymptomatic with worsening pain
        "vcfsh:Variant-numberUnique",  # duplicate variant numbers
        "vcfsh:Term-definition",  # missing definition
    ):
        assert shape in shapes


# -- positive patient descriptions -----------------------------------------------------------------------
@pytest.mark.parametrize(("file", "graph"), [(r["file"], r["graph"]) for r in _rows("valid.tsv")], ids=lambda x: str(x))
def test_valid_patient_conforms(file: str, graph: str) -> None:
    report = validate([DATA / "valid" / file], with_graph=graph == "with-graph")
    assert report.conforms, format_text(report)


# -- seeded mutations of the shipped graph ---------------------------------------------------------------
@dataclass(frozen=True)
class Mutation:
    """Delete one triple of a rating, category or variant, or add a second, different value for it."""

    triple: pyoxigraph.Triple
    new_object: pyoxigraph.NamedNode | pyoxigraph.Literal | None  # None: delete

    def __str__(self) -> str:
        s, p, o = (_short(t) for t in (self.triple.subject, self.triple.predicate, self.triple.object))
        if self.new_object is None:
            return f"delete {s} {p} {o}"
        return f"duplicate {s} {p} {o} -> {_short(self.new_object)}"

    def apply(self, store: pyoxigraph.Store) -> None:
        if self.new_object is None:
            store.remove(pyoxigraph.Quad(*self.triple, pyoxigraph.DefaultGraph()))
        else:
            store.add(pyoxigraph.Quad(self.triple.subject, self.triple.predicate, self.new_object))


SHORT = {
    VCF: "vcf:",
    str(RDF): "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}


def _short(term: object) -> str:
    """A readable test id part: CURIEs for IRIs, literals cut at 40 characters."""
    text = str(term)
    for namespace, prefix in SHORT.items():
        text = text.replace(f"<{namespace}", prefix)
    text = text.replace(">", "")
    return text[:40] + "..." if isinstance(term, pyoxigraph.Literal) and len(text) > 40 else text


def _same_kind(a: object, b: object) -> bool:
    if isinstance(a, pyoxigraph.Literal) and isinstance(b, pyoxigraph.Literal):
        return a.datatype == b.datatype and a.language == b.language
    return type(a) is type(b)


def _shipped_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(ontology_path()), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _mutations(count: int = 50, seed: int = 2022) -> list[Mutation]:
    store = _shipped_store()
    rdf_type = pyoxigraph.NamedNode(str(RDF.type))
    kinds = ("Rating", "AppropriatenessCategory", "ClinicalVariant")
    subjects = {
        q.subject for k in kinds for q in store.quads_for_pattern(None, rdf_type, pyoxigraph.NamedNode(VCF + k))
    }
    triples = sorted((q.triple for s in subjects for q in store.quads_for_pattern(s, None, None)), key=str)
    rng = random.Random(seed)
    chosen: dict[str, Mutation] = {}
    while len(chosen) < count:
        triple = rng.choice(triples)
        new_object = None
        if rng.random() < 0.5:  # duplicate with another value of the same predicate and kind
            current = {q.object for q in store.quads_for_pattern(triple.subject, triple.predicate, None)}
            others = {q.object for q in store.quads_for_pattern(None, triple.predicate, None)} - current
            candidates = sorted((o for o in others if _same_kind(o, triple.object)), key=str)
            if not candidates:
                continue
            new_object = rng.choice(candidates)
        mutation = Mutation(triple, new_object)
        chosen.setdefault(str(mutation), mutation)
    return list(chosen.values())


MUTATIONS = _mutations()


def test_mutations_are_varied() -> None:
    assert len(MUTATIONS) >= 50
    assert {m.new_object is None for m in MUTATIONS} == {True, False}
    kinds = {str(m.triple.subject).split("/")[-1].split("-")[0] for m in MUTATIONS}
    assert {"rating", "variant"} <= kinds and kinds - {"rating", "variant"}  # and some categories


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_mutation_of_shipped_graph_is_caught(mutation: Mutation, tmp_path: Path) -> None:
    store = _shipped_store()
    mutation.apply(store)
    copy = tmp_path / "mutated.nt"
    store.dump(copy, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    report = validate([copy])
    assert not report.conforms, f"not caught: {mutation}"
    touched = {str(mutation.triple.subject), str(mutation.triple.object), str(mutation.new_object)}
    touched = {t.strip("<>") for t in touched}
    assert any(v.focus in touched for v in report.violations), format_text(report)


def test_graph_option_validates_that_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--graph X validate`` checks X (one door): a copy with a mutation fails, the shipped graph passes."""
    mutation = MUTATIONS[0]
    store = _shipped_store()
    mutation.apply(store)
    copy = tmp_path / "mutated.nt"
    store.dump(copy, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    assert main(["--graph", str(copy), "validate", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["violations"] == [v.to_json() for v in validate([copy]).violations]
    assert not validate(kg=vcfkg.load(copy, check=False)).conforms
    assert validate(kg=vcfkg.load(ontology_path())).conforms


def test_with_graph_uses_the_given_graph(tmp_path: Path) -> None:
    """A patient file checked with ``--with-graph`` against a copy lacking its red flag's term fails there only."""
    patient = DATA / "valid" / "patient-variant-1.ttl"
    assert validate([patient], with_graph=True).conforms
    graph = rdflib.Graph().parse(ontology_path())
    graph.remove((None, RDF.type, rdflib.URIRef(VCF + "ClinicalVariant")))
    copy = tmp_path / "copy.nt"
    graph.serialize(copy, format="nt", encoding="utf-8")
    report = validate([patient], with_graph=True, kg=vcfkg.load(copy, check=False))
    assert not report.conforms


# -- reports ---------------------------------------------------------------------------------------------
def test_focus_label_comes_from_the_shipped_graph_when_the_file_lacks_it(tmp_path: Path) -> None:
    copy = tmp_path / "rating.ttl"
    copy.write_text(f"<{VCF}rating-1-bone-scan-whole-body> <{VCF}hasCatgory> <{VCF}usually-appropriate> .\n")
    report = validate([copy])
    assert report.violations
    assert {v.focus_label for v in report.violations} == {"variant 1 row 3: Bone scan whole body"}


def test_text_report_has_a_line_per_violation_and_a_summary() -> None:
    report = validate([DATA / "invalid" / "rating-two-categories.ttl"], with_graph=True)
    lines = format_text(report).splitlines()
    assert lines == [
        "Violation: variant 1 row 3: Bone scan whole body [vcf:hasCategory]: A rating has exactly one "
        "appropriateness category (vcf:hasCategory, a vcf:AppropriatenessCategory).",
        "Does not conform: 1 violation on 1 node.",
    ]


def test_json_report_round_trips() -> None:
    report = validate([DATA / "invalid" / "patient-asymptomatic-worsening-pain.ttl"])
    data = json.loads(json.dumps(report.to_json()))
    assert data["conforms"] is False
    assert data["violations"] == [
        {
            "focus": "http://example.org/patient-1",
            "focus_label": "<http://example.org/patient-1>",
            "path": "vcf:worseningPain",
            "message": "worsening_pain is true but symptomatic is false: worsening pain means the fracture is "
            "symptomatic.",
            "source_shape": "vcfsh:Patient-worseningPainImpliesSymptomatic",
            "severity": "Violation",
            "value": "true",
        }
    ]
    assert Violation(**data["violations"][0]) == report.violations[0]


# -- loading errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("broken.ttl", "<http://example.org/a> <http://example.org/b> .", "not valid Turtle"),
        ("broken.jsonld", "{not json", "not valid JSON-LD"),
        ("broken.rdf", "<rdf:RDF", "not valid RDF/XML"),
        ("broken.nt", "<a> <b> <c>", "not valid N-Triples"),
        ("remote.jsonld", '{"@context": "https://schema.org/", "name": "x"}', "remote JSON-LD contexts"),
        ("patient.txt", "anything", "unknown RDF format '.txt'"),
        ("empty.ttl", "", "contains no RDF statements"),
    ],
)
def test_bad_file_raises_one_line_naming_it(tmp_path: Path, name: str, content: str, problem: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(GraphLoadError) as caught:
        validate([path])
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError, match=r"nope\.ttl: no such file"):
        validate([tmp_path / "nope.ttl"], with_graph=True)


# -- the command -----------------------------------------------------------------------------------------
def test_cli_shipped_graph_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.strip() == "Conforms: no violations."


def test_cli_violations_exit_1_with_labels(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = DATA / "invalid" / "treatment-in-imaging-variant.ttl"
    assert main(["validate", str(fixture), "--with-graph"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Violation: variant 1 row 11: Surgical consultation [vcf:hasProcedure]: ")
    assert "imaging variants rate only imaging procedures" in out[0]
    assert out[-1] == "Does not conform: 1 violation on 1 node."


def test_cli_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = DATA / "invalid" / "patient-misspelt-property.ttl"
    assert main(["validate", "--format", "json", str(fixture)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is False
    assert [(v["source_shape"], v["path"]) for v in data["violations"]] == [
        ("vcfsh:PatientDescriptionShape", "vcf:symptomatc")
    ]


def test_cli_valid_files_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(DATA / "valid" / name) for name in ("patient-variant-9-sins.ttl", "patient-variant-6.jsonld")]
    assert main(["validate", *files, "--with-graph"]) == 0
    assert "Conforms" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["validate", "{dir}/nope.ttl"], "nope.ttl: no such file"),
        (["validate", "{dir}/bad.ttl"], "bad.ttl: not valid Turtle"),
        (["validate", "{dir}/patient.csv"], "unknown RDF format"),
        (["--graph", "{dir}/nope.ttl", "validate"], "nope.ttl: no such file"),
        (["validate", "--format", "xml"], "invalid choice"),
    ],
)
def test_cli_load_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], problem: str
) -> None:
    (tmp_path / "bad.ttl").write_text("@prefix : <http://example.org/> .\n:a :b")
    (tmp_path / "patient.csv").write_text("a,b\n")
    assert main([a.format(dir=tmp_path) for a in args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert problem in captured.err and captured.err.count("\n") == 1 and "Traceback" not in captured.err
