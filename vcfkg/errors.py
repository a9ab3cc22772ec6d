"""One exception hierarchy for vcfkg; each error names the field, term or file at fault.

Two families, told apart by the command's exit code: errors in what the user gave (a patient, an argument,
a file, a graph that is not vcfkg's: exit 2, like pySHACL's load errors) and failures of the environment vcfkg
runs in (Java missing, HermiT crashing, a server down or answering wrongly: :class:`EnvironmentFailure`, exit 3).
"""

from __future__ import annotations

SHOWN_CHARACTERS = 80  # of a user's value repeated in a message


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """A user's value for a message: its repr, cut at ``limit`` characters with a marker saying how much is left."""
    text = repr(value) if not isinstance(value, str) or len(value) <= limit else repr(value[:limit])
    if isinstance(value, str) and len(value) > limit:
        return f"{text}… ({len(value):,} characters)"
    return text if len(text) <= limit else text[:limit] + "…"


class VcfkgError(Exception):
    """Base of every error vcfkg raises on purpose."""


class InvalidPatientError(VcfkgError, ValueError):
    """A patient description is malformed, uses an unknown value, or contradicts itself."""

    def __init__(self, field: str, problem: str) -> None:
        if len(field) > 2 * SHOWN_CHARACTERS:
            field = field[: 2 * SHOWN_CHARACTERS] + "…"
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class InvalidArgumentError(VcfkgError, ValueError):
    """An argument to the API or the CLI is out of range or unknown (e.g. variant 12)."""


class UnknownQueryError(VcfkgError, KeyError):
    """No query of that name exists in queries/."""

    def __str__(self) -> str:  # KeyError would print the repr
        return str(self.args[0]) if self.args else ""


class GraphLoadError(VcfkgError, OSError):
    """An RDF file could not be read or parsed, or its content is not the vcfkg graph."""


class InvalidCodeError(VcfkgError, ValueError):
    """A terminology code is malformed, fails its check digit, or uses a prefix or namespace vcfkg does not know."""


class UnknownTermError(VcfkgError, KeyError):
    """No vcfkg term has that CURIE, IRI, local name or identifier."""

    def __str__(self) -> str:  # KeyError would print the repr
        return str(self.args[0]) if self.args else ""


class MissingExtraError(VcfkgError, ImportError):
    """A feature needs an optional extra that is not installed (e.g. ``vcfkg[mappings]`` for the SSSOM export)."""


class EnvironmentFailure(VcfkgError):
    """Something vcfkg depends on outside its input failed: a program, a server, the Java runtime (exit code 3)."""


class EndpointError(EnvironmentFailure, ConnectionError):
    """A remote SPARQL endpoint failed, timed out, or does not hold the vcfkg graph."""


class ServerError(EnvironmentFailure, OSError):
    """The local SPARQL server (``vcfkg serve``) could not be started or stopped unexpectedly."""


class ReasonerError(EnvironmentFailure, RuntimeError):
    """The OWL reasoner could not run: no Java runtime, or HermiT failed."""
