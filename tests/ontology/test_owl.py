"""vcf.ttl is OWL 2 DL as the reference OWL API checks it, and consistent with no unsatisfiable class under HermiT.

Both need Java; without it these tests fail (they are not skipped) and say what to install.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib

from vcfkg.resources import ontology_path

pytestmark = pytest.mark.java

DATA = Path(__file__).parent.parent / "data" / "owl"
CHECKER = Path(__file__).parent / "java" / "DlProfileCheck.java"
DEBIAN_JARS = Path("/usr/share/java")
# The OWL API from Debian's libowlapi-java and the jars it needs to load Turtle (its Debian dependencies).
OWLAPI_CLASSPATH = (
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-rdf-api",
    "hppcrt",
    "xz",
    "atinject-jsr330-api",
    "slf4j-api",
    "slf4j-nop",
    "rdf4j-model-api",
    "rdf4j-model",
    "rdf4j-model-vocabulary",
    "rdf4j-util",
    "rdf4j-rio-api",
    "rdf4j-rio-datatypes",
    "rdf4j-rio-languages",
    "rdf4j-rio-turtle",
)
INSTALL_HINT = "install the Debian packages with: sh scripts/install-system-deps"


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"java not found: the OWL checks need a Java runtime (default-jre-headless); {INSTALL_HINT}")
    return java


def _owlapi_classpath() -> str:
    jars = [DEBIAN_JARS / f"{name}.jar" for name in OWLAPI_CLASSPATH]
    missing = [jar.name for jar in jars if not jar.exists()]
    if missing:
        pytest.fail(f"OWL API jars missing from {DEBIAN_JARS}: {', '.join(missing)} (libowlapi-java); {INSTALL_HINT}")
    return ":".join(str(jar) for jar in jars)


def dl_profile_report(path: Path) -> tuple[int, list[str]]:
    """Run the OWL API checker (Java source-file mode, no JDK needed): axiom count and the problems it reports."""
    result = subprocess.run(
        [_java(), "-cp", _owlapi_classpath(), str(CHECKER), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode in (0, 1), f"the OWL API could not load {path}:\n{result.stderr}"
    first, *problems = result.stdout.splitlines()
    assert first.startswith("axioms "), result.stdout
    assert (result.returncode == 0) == (not problems), result.stdout
    return int(first.split()[1]), problems


def test_vcf_ttl_is_in_the_owl2_dl_profile() -> None:
    axioms, problems = dl_profile_report(ontology_path())
    assert axioms > 2000, "the OWL API read far fewer axioms than vcf.ttl holds"
    assert not problems, "OWL 2 DL profile violations in vcf.ttl:\n" + "\n".join(problems)


def test_dl_check_reports_undeclared_entities_and_illegal_punning() -> None:
    _, problems = dl_profile_report(DATA / "not-dl.ttl")
    assert any("UseOfUndeclaredClass" in p and "Undeclared" in p for p in problems), problems
    assert any("IllegalPunning" in p and "both" in p for p in problems), problems


def hermit(turtle: Path, tmp_path: Path):  # -> owlready2.World
    """Load a Turtle file into owlready2 (as N-Triples, which it reads) and run HermiT on it."""
    import owlready2

    _java()
    ntriples = tmp_path / (turtle.stem + ".nt")
    rdflib.Graph().parse(turtle, format="turtle").serialize(ntriples, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(ntriples.as_uri()).load(format="ntriples")
    owlready2.sync_reasoner_hermit(world, debug=0)
    return world


def unsatisfiable(world) -> list[str]:  # world: owlready2.World
    return [c.iri for c in world.inconsistent_classes() if c.iri != "http://www.w3.org/2002/07/owl#Nothing"]


def test_vcf_ttl_is_consistent_under_hermit(tmp_path: Path) -> None:
    world = hermit(ontology_path(), tmp_path)
    assert not unsatisfiable(world), f"unsatisfiable classes: {unsatisfiable(world)}"
    patient_classes = [c for c in world.classes() if c.iri.endswith("Patient") and "/Variant" in c.iri]
    assert len(patient_classes) == 9


def test_hermit_check_detects_an_inconsistent_ontology(tmp_path: Path) -> None:
    import owlready2

    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit(DATA / "inconsistent.ttl", tmp_path)


def test_hermit_check_reports_an_unsatisfiable_class(tmp_path: Path) -> None:
    world = hermit(DATA / "unsatisfiable.ttl", tmp_path)
    assert unsatisfiable(world) == ["https://example.org/bad/Impossible"]
