"""The package's front door (vcfkg/__init__.py): ``__all__``, the lazily imported names, ``__version__``."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

import vcfkg


def test_all_exports_every_error_and_result_type() -> None:
    """``vcfkg.__all__`` names every error class and every public result type, and each name resolves."""
    import inspect

    import vcfkg
    from vcfkg import errors, mappings, models, publish, validate

    for name in vcfkg.__all__:
        assert getattr(vcfkg, name) is not None, name
    exported = set(vcfkg.__all__)
    for module in (errors, models):
        public = {n for n, o in vars(module).items() if inspect.isclass(o) and o.__module__ == module.__name__}
        assert public - exported == set(), module.__name__
    for module, names in (
        (mappings, {"CodeLink", "TermMappings"}),
        (validate, {"ValidationReport"}),
        (publish, {"PublishResult"}),
    ):
        for name in names:
            assert getattr(vcfkg, name) is getattr(module, name)


def test_version_is_the_installed_distributions() -> None:
    assert vcfkg.__version__ == importlib.metadata.version("vcfkg")


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'recomend'"):
        vcfkg.recomend  # noqa: B018


def test_import_vcfkg_imports_no_submodule_until_a_name_is_used() -> None:
    """The command installs its interrupt handler before anything heavy is imported (vcfkg.interrupt)."""
    script = (
        "import sys, vcfkg; before = sorted(m for m in sys.modules if m.startswith('vcfkg.'));"
        " vcfkg.InvalidPatientError; after = sorted(m for m in sys.modules if m.startswith('vcfkg.'));"
        " print(before, 'vcfkg.errors' in after)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] True"
