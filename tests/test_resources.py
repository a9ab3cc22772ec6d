"""The one module that knows where the data files are: every path it gives exists, and no other module of the
package computes a path from ``__file__``. (An installed wheel finding them is tests/test_packaging.py's.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import vcfkg
from vcfkg import resources

FILES = [resources.ontology_path, resources.scenarios_path]
FOLDERS = [
    resources.queries_dir,
    resources.shapes_dir,
    resources.mappings_dir,
    resources.contexts_dir,
]


@pytest.mark.parametrize("where", FILES + FOLDERS, ids=lambda where: where.__name__)
def test_each_path_is_in_the_data_root_and_exists(where) -> None:
    path = where()
    assert path.is_relative_to(resources.data_root())
    assert path.is_file() if where in FILES else path.is_dir()


def test_the_data_root_holds_the_product_folders() -> None:
    root = resources.data_root()
    for folder in ("ontology", "queries", "shapes", "mappings", "scenarios", "contexts"):
        assert (root / folder).is_dir(), folder
    assert resources.ontology_path().read_text(encoding="utf-8").count("owl:Ontology") >= 1


def test_no_other_module_computes_a_path_from_its_file() -> None:
    """Its own ``__file__``, that is: where another package lives (owlready2's HermiT) is that package's."""
    package = Path(vcfkg.__file__).parent
    offenders = [
        module.name
        for module in sorted(package.glob("*.py"))
        if module.name != "resources.py" and re.search(r"(?<![\w.])__file__", module.read_text(encoding="utf-8"))
    ]
    assert offenders == []
