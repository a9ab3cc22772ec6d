"""HTML documentation of every class, property and individual of the vcf namespace, made by pyLODE.

``vcfkg docs --out DIR`` writes ``DIR/index.html``: pyLODE's OWL profile (OntPub) renders the ontology
header, the classes and the properties; vcfkg adds, through pyLODE's own section builder, a "Named
Individuals" section, and the synonyms, mappings and source pointers to every entry.

pyLODE is an optional extra (``pip install 'vcfkg[docs]'``), pinned to 3.3.4: its 3.4.1 wheel cannot be
imported (it reads a ``pyproject.toml`` that is not packaged) and 3.3.4 fails on a union nested in an
intersection (``vcf:Variant3Patient`` and others): its set-class renderer returns a Python list, which
the enclosing set class then tries to put in a set. :func:`render` swaps, for the duration of one
rendering only, that helper for one returning a single HTML element (hashable), so every class expression
is rendered whole instead of being simplified away.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vcfkg.errors import GraphLoadError, InvalidArgumentError, MissingExtraError
from vcfkg.namespace import VCF_IRI
from vcfkg.resources import ontology_path

INDEX = "index.html"
INDIVIDUALS_SECTION = "namedindividuals"
PYLODE_VERSION = "3.3.4"


def _extra_properties() -> list[Any]:
    """What vcfkg shows besides pyLODE's defaults: synonyms, SKOS placement, mappings, source pointers."""
    from rdflib import RDFS, SKOS, URIRef

    return [
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.inScheme,
        SKOS.broader,
        SKOS.exactMatch,
        SKOS.closeMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
        SKOS.relatedMatch,
        URIRef(VCF_IRI + "sourceSection"),
        RDFS.seeAlso,
    ]


def documentation_graph(source: Path | None = None) -> Any:
    """A copy of the graph for pyLODE: the file's triples, every individual of the namespace declared an
    ``owl:NamedIndividual`` (pyLODE lists individuals by that type)."""
    import rdflib
    from rdflib import OWL, RDF

    path = source or ontology_path()
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise GraphLoadError(f"{path}: no such file") from None
    except Exception as error:  # rdflib raises many unrelated types for bad input
        raise GraphLoadError(f"{path}: cannot parse: {' '.join(str(error).split())}") from None
    not_individual = {
        OWL.Class,
        OWL.Ontology,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.FunctionalProperty,
        OWL.NamedIndividual,
    }
    for subject, kind in list(graph.subject_objects(RDF.type)):
        in_namespace = isinstance(subject, rdflib.URIRef) and str(subject).startswith(VCF_IRI)
        if (
            in_namespace
            and kind not in not_individual
            and not any((subject, RDF.type, other) in graph for other in not_individual)
        ):
            graph.add((subject, RDF.type, OWL.NamedIndividual))
    return graph


@contextmanager
def _pylode() -> Iterator[None]:
    """Within the block, pyLODE is quiet (it sets the root logger to DEBUG when imported) and renders a set
    class as one HTML element, so set classes can nest."""
    import logging

    logging.disable(logging.INFO)
    try:
        with _nested_set_classes_fixed():
            yield
    finally:
        logging.disable(logging.NOTSET)


@contextmanager
def _nested_set_classes_fixed() -> Iterator[None]:
    """Within the block, pyLODE's set-class renderer returns one HTML element instead of a list."""
    import pylode.utils
    from dominate.tags import span

    original = pylode.utils.intersperse

    def as_element(items: Any, separator: Any) -> Any:
        return span("(", *original(sorted(items, key=str), separator), ")")  # sorted: the same page every run

    pylode.utils.intersperse = as_element
    try:
        yield
    finally:
        pylode.utils.intersperse = original


def _publisher_class() -> Any:
    """pyLODE's OWL profile, with the named individuals and vcfkg's extra properties added."""
    from dominate.tags import a, h4, li, ul
    from pylode import OntPub
    from pylode.profiles import ontpub
    from pylode.utils import section_html
    from rdflib import DCTERMS, OWL, RDF, RDFS, Literal

    extra = _extra_properties()

    class VcfPub(OntPub):  # type: ignore[misc]
        """OntPub over the documentation graph, also listing individuals."""

        def __init__(self, graph: Any) -> None:
            super().__init__(ontology=graph, sort_subjects=True)
            # pyLODE titles the page with the last title among the ontology and any SKOS concept scheme
            self.doc.title = str(next(self.ont.objects(next(self.ont.subjects(RDF.type, OWL.Ontology)), DCTERMS.title)))
            for prop in [RDF.type, *extra]:  # a readable row title for the properties pyLODE's background does not know
                label = self.ont.value(prop, RDFS.label) or self.back_onts.value(prop, RDFS.label)
                self.props_labeled.setdefault(
                    prop,
                    {
                        "title": Literal(str(label) if label else prop.split("/")[-1].split("#")[-1]),
                        "description": self.ont.value(prop, ontpub.SKOS.definition),
                        "ont_title": None,
                    },
                )

        def _make_main_sections(self) -> None:
            """pyLODE's sections, each term once (pyLODE repeats functional properties in a section of their
            own, under the same HTML id; here "Type" says which are functional), then the individuals."""
            sections = [
                ("Classes", OWL.Class, ontpub.CLASS_PROPS, "classes"),
                ("Object Properties", OWL.ObjectProperty, [RDF.type, *ontpub.PROP_PROPS], "objectproperties"),
                ("Datatype Properties", OWL.DatatypeProperty, [RDF.type, *ontpub.PROP_PROPS], "datatypeproperties"),
                ("Annotation Properties", OWL.AnnotationProperty, ontpub.PROP_PROPS, "annotationproperties"),
                ("Named Individuals", OWL.NamedIndividual, [RDF.type, *ontpub.CLASS_PROPS], INDIVIDUALS_SECTION),
            ]
            with self.content:
                for title, kind, shown, toc_id in sections:
                    if (None, RDF.type, kind) in self.ont:
                        section_html(
                            title,
                            self.ont,
                            self.back_onts,
                            self.ns,
                            kind,
                            [*shown, *extra],
                            self.toc,
                            toc_id,
                            self.fids,
                            self.props_labeled,
                        ).render()

        def _make_toc(self) -> None:
            super()._make_toc()
            entries = self.toc.get(INDIVIDUALS_SECTION) or []
            first = next(element for element in self.doc.body.get(ul) if element.attributes.get("class") == "first")
            item = li(h4(a("Named Individuals", href="#" + INDIVIDUALS_SECTION)))
            item.add(ul([li(a(title, href=fid)) for fid, title in entries], _class="second"))
            first.children.insert(len(first.children) - 2, item)  # before Namespaces and Legend

    return VcfPub


def render(source: Path | None = None) -> str:
    """The HTML documentation page of the graph at ``source`` (default: the shipped ``vcf.ttl``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pylode")
    except PackageNotFoundError:
        found = "none"
    if found != PYLODE_VERSION:  # the workaround below is written against this version's internals
        raise MissingExtraError(
            f"the documentation needs pyLODE {PYLODE_VERSION} (found {found}): pip install 'vcfkg[docs]'"
        )
    graph = documentation_graph(source)
    with _pylode():
        return str(_publisher_class()(graph).make_html())


def write_docs(out: Path, source: Path | None = None) -> Path:
    """Write the documentation into the folder ``out`` (created if needed); returns the page's path."""
    if out.exists() and not out.is_dir():
        raise InvalidArgumentError(f"--out {out}: exists and is not a folder")
    html = render(source)
    out.mkdir(parents=True, exist_ok=True)
    page = out / INDEX
    page.write_text(html, encoding="utf-8")
    return page
