"""Keep the guideline graph in one canonical serialization, rdflib's ``longturtle``, with its generated axioms.

One form means a diff of ``vcf.ttl`` shows only real changes. ``python -m vcfkg.canonical [FILE]``
rewrites FILE (default: the shipped ``ontology/vcf.ttl``) in that form; a test fails when the file
in the repository is not in it. The OWL axioms of the derived facts are part of the form: they are
generated from the graph's ``vcf:Derivation`` rules (see :mod:`vcfkg.derivation`), so a rule is edited
in one place and this command writes its axiom.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from vcfkg.errors import GraphLoadError, VcfkgError
from vcfkg.resources import ontology_path

if TYPE_CHECKING:
    import rdflib

FIX_COMMAND = "python -m vcfkg.canonical ontology/vcf.ttl"


def canonical_text(path: Path) -> str:
    """The Turtle file at ``path`` as rdflib's ``longturtle`` serializes it."""
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises many unrelated types for bad input
        raise GraphLoadError(f"{path}: cannot parse: {' '.join(str(error).split())}") from None
    with_derivation_axioms(graph)
    return graph.serialize(format="longturtle")


def with_derivation_axioms(graph: rdflib.Graph) -> None:
    """Replace the graph's derivation axioms (subclass axioms between two anonymous ``owl:hasValue``
    restrictions) with those generated from its ``vcf:Derivation`` rules."""
    import pyoxigraph
    import rdflib

    from vcfkg import derivation
    from vcfkg.engines import RdflibEngine

    restriction_of_value = {s for s in graph.subjects(rdflib.OWL.hasValue) if isinstance(s, rdflib.BNode)}
    for sub, sup in list(graph.subject_objects(rdflib.RDFS.subClassOf)):
        if sub in restriction_of_value and sup in restriction_of_value:
            for node in (sub, sup):
                graph.remove((node, None, None))
    _rules, rows = derivation.read(RdflibEngine(graph))

    def term(node: object) -> rdflib.term.Node:
        if isinstance(node, pyoxigraph.NamedNode):
            return rdflib.URIRef(node.value)
        if isinstance(node, pyoxigraph.BlankNode):  # named after the rule, so the serialization is stable
            return rdflib.BNode(node.value)
        assert isinstance(node, pyoxigraph.Literal)
        return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))

    for axiom in derivation.owl_axioms(rows):
        graph.add((term(axiom.subject), term(axiom.predicate), term(axiom.object)))


def canonicalize(path: Path) -> bool:
    """Rewrite ``path`` in canonical form; True when the file changed."""
    text = canonical_text(path)
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    """``python -m vcfkg.canonical [FILE]``: rewrite the graph in canonical form."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python -m vcfkg.canonical [FILE.ttl]", file=sys.stderr)
        return 2
    path = Path(args[0]) if args else ontology_path()
    try:
        changed = canonicalize(path)
    except (OSError, VcfkgError) as error:
        print(error if isinstance(error, VcfkgError) else f"{path}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"{path}: {'rewritten in' if changed else 'already in'} canonical longturtle form")
    return 0


if __name__ == "__main__":
    sys.exit(main())
