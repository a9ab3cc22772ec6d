"""One exception hierarchy: each error subclasses the builtin whose meaning it carries; environment failures are
their own family (exit 3); user values in messages are cut to a readable length."""

from __future__ import annotations

import inspect

import pytest

from vcfkg import errors
from vcfkg.errors import (
    EndpointError,
    EnvironmentFailure,
    GraphLoadError,
    InvalidArgumentError,
    InvalidCodeError,
    InvalidPatientError,
    MissingExtraError,
    ReasonerError,
    ServerError,
    UnknownQueryError,
    UnknownTermError,
    VcfkgError,
)

BUILTIN = {
    InvalidPatientError: ValueError,
    InvalidArgumentError: ValueError,
    InvalidCodeError: ValueError,
    UnknownQueryError: KeyError,
    UnknownTermError: KeyError,
    GraphLoadError: OSError,
    MissingExtraError: ImportError,
    EndpointError: ConnectionError,
    ServerError: OSError,
    ReasonerError: RuntimeError,
}


def test_every_error_is_listed_here() -> None:
    defined = {o for _, o in inspect.getmembers(errors, inspect.isclass) if o.__module__ == errors.__name__}
    assert defined == {VcfkgError, EnvironmentFailure, *BUILTIN}


@pytest.mark.parametrize("error", list(BUILTIN), ids=lambda error: error.__name__)
def test_each_error_is_a_vcfkg_error_and_its_builtin(error: type[VcfkgError]) -> None:
    assert issubclass(error, VcfkgError) and issubclass(error, BUILTIN[error])
    environment = error in (EndpointError, ServerError, ReasonerError)
    assert issubclass(error, EnvironmentFailure) == environment


def test_invalid_patient_error_keeps_field_and_problem_apart() -> None:
    error = InvalidPatientError("sins.pain", "unknown value 'severe'")
    assert (error.field, error.problem) == ("sins.pain", "unknown value 'severe'")
    assert str(error) == "sins.pain: unknown value 'severe'"
    long = InvalidPatientError("k" * 500, "unknown key")
    assert len(long.field) == 2 * errors.SHOWN_CHARACTERS + 1 and long.field.endswith("…")


@pytest.mark.parametrize("error", [UnknownQueryError, UnknownTermError], ids=lambda error: error.__name__)
def test_key_errors_print_their_message_not_its_repr(error: type[KeyError]) -> None:
    assert str(error("no query named 'x'")) == "no query named 'x'"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("fever", "'fever'"),
        (3, "3"),
        ("x" * 100, "'" + "x" * 80 + "'… (100 characters)"),
        (list(range(100)), repr(list(range(100)))[:80] + "…"),
    ],
    ids=["short-string", "number", "long-string", "long-list"],
)
def test_shown_cuts_long_values_and_says_how_long(value: object, shown: str) -> None:
    assert errors.shown(value) == shown
