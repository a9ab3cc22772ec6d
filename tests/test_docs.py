"""``vcfkg docs --out DIR``: pyLODE's page documents every term of the namespace, and a real browser renders it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from rdflib import DCTERMS, RDF, SKOS

from vcfkg import cli
from vcfkg.resources import ontology_path

VCF = "https://w3id.org/vcfkg/"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class Sections(HTMLParser):
    """The page's entity sections: id -> (the IRI in its table, its whole text)."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.iris: dict[str, str] = {}
        self._open: list[tuple[str, int]] = []  # (section id, div depth at which it opened)
        self._depth = 0
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "div":
            self._depth += 1
            if "entity" in (values.get("class") or "").split() and values.get("id"):
                section = str(values["id"])
                assert section not in self.sections, f"two sections with id {section}"
                self.sections[section] = []
                self._open.append((section, self._depth))
        self._in_code = tag == "code"

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            if self._open and self._open[-1][1] == self._depth:
                self._open.pop()
            self._depth -= 1
        if tag == "code":
            self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._open:
            section = self._open[-1][0]
            self.sections[section].append(data)
            if self._in_code and section not in self.iris:
                self.iris[section] = data.strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    assert cli.main(["docs", "--out", str(out)]) == 0
    return out / "index.html"


@pytest.fixture(scope="module")
def sections(site: Path) -> Sections:
    parser = Sections()
    parser.feed(site.read_text(encoding="utf-8"))
    return parser


@lru_cache(maxsize=1)
def _graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_path(), format="turtle")


def namespace_terms() -> list[str]:
    """Every class, property and individual the graph declares or types in the vcf namespace."""
    graph = _graph()
    return sorted(
        {str(s) for s in graph.subjects(RDF.type, None) if str(s).startswith(VCF) and str(s) != VCF + "ontology"}
    )


def text_of(sections: Sections, iri: str) -> str:
    found = [
        " ".join(" ".join(parts).split()) for key, parts in sections.sections.items() if sections.iris.get(key) == iri
    ]
    assert found, f"{iri}: no section on the page"
    return found[0]


@pytest.mark.parametrize("iri", namespace_terms(), ids=lambda iri: iri.removeprefix(VCF))
def test_every_term_has_its_section(sections: Sections, iri: str) -> None:
    graph = _graph()
    text = text_of(sections, iri)
    label = graph.value(rdflib.URIRef(iri), rdflib.RDFS.label)
    definition = graph.value(rdflib.URIRef(iri), SKOS.definition)
    assert label is not None and " ".join(str(label).split()) in text
    assert definition is not None and " ".join(str(definition).split()) in text


def test_sections_show_domains_ranges_mappings_and_sources(sections: Sections) -> None:
    graph = _graph()
    rating_property = text_of(sections, VCF + "hasVariant")
    assert "Domain rating c Range clinical variant c" in rating_property
    procedure = VCF + "bone-scan-whole-body"
    text = text_of(sections, procedure)
    for code in graph.objects(rdflib.URIRef(procedure), SKOS.exactMatch):
        assert str(code) in text
    source = graph.value(rdflib.URIRef(procedure), DCTERMS.source)
    assert source is not None and str(graph.value(source, DCTERMS.title)) in text
    augmentation = text_of(sections, VCF + "percutaneous-vertebral-augmentation")
    synonyms = list(graph.objects(rdflib.URIRef(VCF + "percutaneous-vertebral-augmentation"), SKOS.altLabel))
    assert synonyms and all(str(synonym) in augmentation for synonym in synonyms)
    category = text_of(sections, VCF + "may-be-appropriate-disagreement")
    assert "Has Broader May Be Appropriate Source" in category and "Is In Scheme appropriateness categories" in category


def test_a_union_nested_in_an_intersection_is_rendered_whole(sections: Sections) -> None:
    """pyLODE 3.3.4 crashes on it unless vcfkg.docs works around the bug; the disjunction must be on the page."""
    text = text_of(sections, VCF + "Variant3Patient")
    assert "( multiple VCFs dp value true c or previously treated VCF dp value true c )" in text, text


def section_id(sections: Sections, iri: str) -> str:
    return next(key for key, value in sections.iris.items() if value == iri)


def test_individuals_are_listed_in_the_table_of_contents(site: Path, sections: Sections) -> None:
    html = site.read_text(encoding="utf-8")
    assert 'href="#namedindividuals"' in html
    assert f'<a href="#{section_id(sections, VCF + "bone-scan-whole-body")}">Bone scan whole body</a>' in html


def test_out_that_is_a_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    assert cli.main(["docs", "--out", str(target)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "--out" in error and "not a folder" in error


def test_unreadable_graph_is_a_load_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle .")
    assert cli.main(["--graph", str(broken), "docs", "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "broken.ttl" in error
    assert not (tmp_path / "out").exists()


PROBE = """
<script>
window.addEventListener("load", () => {
  const section = document.getElementById(%(section)s);
  section.scrollIntoView();
  const box = section.getBoundingClientRect();
  const style = getComputedStyle(section);
  const heading = section.querySelector("h3");
  const result = {
    title: document.title,
    heading: heading ? heading.textContent : null,
    visible: style.display !== "none" && style.visibility === "visible" && box.height > 0 && box.width > 0,
    inViewport: box.top < window.innerHeight && box.bottom > 0,
    styled: getComputedStyle(document.body).fontFamily,
  };
  const out = document.createElement("pre");
  out.id = "vcfkg-probe";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
});
</script>
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no chromium: install the Debian package with scripts/install-system-deps")


def test_headless_chromium_renders_the_page(site: Path, sections: Sections, tmp_path: Path) -> None:
    """The page as written, plus a probe script that reports what the browser laid out."""
    section = section_id(sections, VCF + "bone-scan-whole-body")
    probed = site.parent / "probed.html"
    html = site.read_text(encoding="utf-8")
    probed.write_text(html.replace("</body>", PROBE % {"section": json.dumps(section)} + "</body>"), encoding="utf-8")
    run = subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    match = re.search(r'<pre id="vcfkg-probe">(.*?)</pre>', run.stdout, flags=re.DOTALL)
    assert match, f"the probe did not run: {run.stdout[-500:]} {run.stderr[-1000:]}"
    result = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    title = _graph().value(rdflib.URIRef(VCF + "ontology"), DCTERMS.title)
    assert result["title"] == str(title)
    assert result["heading"] and result["heading"].startswith("Bone scan whole body")
    assert result["visible"] and result["inViewport"]
    assert result["styled"] != "Times New Roman"  # pyLODE's stylesheet applied, not the browser default


def test_docs_on_an_endpoint_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--endpoint", "http://127.0.0.1:9/query", "docs", "--out", "site"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "--graph FILE" in error


def test_another_pylode_version_is_refused_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The workaround is written against pyLODE 3.3.4's internals; another version must not half-work."""
    import importlib.metadata

    from vcfkg import docs
    from vcfkg.errors import MissingExtraError

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "3.4.1")
    with pytest.raises(MissingExtraError, match=r"pyLODE 3\.3\.4 \(found 3\.4\.1\): pip install 'vcfkg\[docs\]'"):
        docs.write_docs(tmp_path / "site")
    assert not (tmp_path / "site").exists()
