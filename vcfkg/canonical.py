"""Keep the guideline graph in one canonical serialization, rdflib's ``longturtle``.

One form means a diff of ``vcf.ttl`` shows only real changes. ``python -m vcfkg.canonical [FILE]``
rewrites FILE (default: the shipped ``ontology/vcf.ttl``) in that form; a test fails when the file
in the repository is not in it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vcfkg.errors import GraphLoadError, VcfkgError
from vcfkg.resources import ontology_path

FIX_COMMAND = "python -m vcfkg.canonical ontology/vcf.ttl"


def canonical_text(path: Path) -> str:
    """The Turtle file at ``path`` as rdflib's ``longturtle`` serializes it."""
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises many unrelated types for bad input
        raise GraphLoadError(f"{path}: cannot parse: {' '.join(str(error).split())}") from None
    return graph.serialize(format="longturtle")


def canonicalize(path: Path) -> bool:
    """Rewrite ``path`` in canonical form; True when the file changed."""
    text = canonical_text(path)
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
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
