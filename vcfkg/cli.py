"""The ``vcfkg`` command: a thin layer over the API.

Exit codes: 0 ok, 1 found problems, 2 bad input (pySHACL's three), 3 the environment failed (Java missing, HermiT
crashing, a SPARQL server down or answering wrongly).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from vcfkg.errors import EnvironmentFailure, VcfkgError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMATS = ("table", "json")
MESSAGE_LIMIT = 1000  # characters of an error message, the rest replaced by a marker
MAX_INPUT_BYTES = 16 * 1024 * 1024  # of a patient file


class UsageError(Exception):
    """A command-line usage problem (exit code 2)."""


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter, told the terminal width: left to itself it imports shutil (~2 ms) at every start."""
    try:
        columns = int(os.environ.get("COLUMNS") or os.get_terminal_size(sys.stdout.fileno()).columns)
    except (OSError, ValueError):
        columns = 80
    width = columns - 2
    return argparse.HelpFormatter(prog, width=width)


class Parser(argparse.ArgumentParser):
    """argparse, with errors as one line (exit code 2) instead of the usage block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        """Raise the problem as a :class:`UsageError`."""
        raise UsageError(message)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:  # argparse would ignore a failed write (--help > /dev/full); main reports it
            (file or sys.stderr).write(message)


def _columns() -> int:
    """The terminal's width (``COLUMNS``, else the terminal, else 100)."""
    try:
        return int(os.environ.get("COLUMNS") or os.get_terminal_size(sys.stdout.fileno()).columns)
    except (OSError, ValueError):
        return 100


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _kg(args: argparse.Namespace, *, check: bool = True) -> Any:
    """The knowledge graph the command runs on: the embedded default, a file, or a remote endpoint."""
    if args.endpoint is not None:
        from vcfkg.kg import connect

        return connect(args.endpoint, timeout=args.timeout)
    from vcfkg.kg import load

    return load(args.graph, check=check) if args.graph else load()


def _read_text(path: str) -> str:
    """A patient file's text (``-``: standard input), at most MAX_INPUT_BYTES, as UTF-8."""
    try:
        if path == "-":
            if isinstance(sys.stdin, _ClosedStream):
                raise UsageError("standard input is closed")
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{path}: larger than {MAX_INPUT_BYTES:,} bytes; a patient description is a few hundred")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text (byte {error.start})") from None


def _emit(args: argparse.Namespace, result: Any, table: str, *, notice: str = "", **options: Any) -> int:
    """Print a result (or a tuple of them) as JSON with ``--format json``, else as the ``render.<table>`` text
    (with ``options``), ending with ``notice`` (the line saying what the answer is) when one is given."""
    if args.format == "json":
        _print_json(result.to_json() if hasattr(result, "to_json") else [item.to_json() for item in result])
    else:
        from vcfkg import render

        print(getattr(render, table)(result, **options))
        if notice:
            print(f"\n{notice}")
    return 0


def _red_flag_labels(kg: Any) -> dict[str, str]:
    return {flag: hit.label for flag, hit in kg.compiled.red_flags.items()}


def _read_patient(path: str, kg: Any) -> object:
    """A patient description: JSON, or RDF with the patient vocabulary read against ``kg`` (by the extension)."""
    from vcfkg.formats import is_rdf

    if is_rdf(path):
        from vcfkg.patient_rdf import read_patient_rdf

        return read_patient_rdf(Path(path), kg)
    from vcfkg.patient import load_patient_text

    return load_patient_text(_read_text(path), source=path)


# -- commands ----------------------------------------------------------------------------------------------
def cmd_variants(args: argparse.Namespace) -> int:
    """``vcfkg variants``: the clinical variants."""
    return _emit(args, _kg(args).variants(), "variants")


def cmd_variant(args: argparse.Namespace) -> int:
    """``vcfkg variant N``: one variant's rated procedures, as printed."""
    kg = _kg(args)
    return _emit(args, kg.variant(args.number), "variant", notice=kg.notice, explain=args.explain)


def cmd_procedures(args: argparse.Namespace) -> int:
    """``vcfkg procedures``: the procedures, their facets and ratings."""
    return _emit(args, _kg(args).procedures(), "procedures")


def cmd_recommend(args: argparse.Namespace) -> int:
    """``vcfkg recommend``: one patient, or a batch of JSON lines."""
    if args.batch:
        if args.patient is not None:
            raise UsageError(f"recommend: give either a patient file ({args.patient}) or --batch FILE, not both")
        if args.explain:
            raise UsageError("recommend: --explain is not available with --batch")
        return _recommend_batch(args)
    if args.output is not None:
        raise UsageError("recommend: --output is for --batch answers; a single answer goes to standard output")
    if args.patient is None:
        raise UsageError("recommend: give a PATIENT.json file (or - for standard input), or --batch FILE")
    kg = _kg(args)
    data = _read_patient(args.patient, kg)
    answer = kg.recommend(data, method=_method(args), explain=args.explain)
    return _emit(args, answer, "recommendation", notice=answer.notice, red_flag_labels=_red_flag_labels(kg))


def _method(args: argparse.Namespace) -> Any:
    """``--method``, or its deprecated spelling ``--engine`` (with a warning on stderr)."""
    if args.engine is not None:
        print("vcfkg: warning: --engine is deprecated, use --method", file=sys.stderr)
        return args.engine
    return args.method


def _recommend_batch(args: argparse.Namespace) -> int:
    """Stream JSON lines in and answers out; a bad line becomes an error object with its line number."""
    from vcfkg import batch

    kg = _kg(args)
    if args.batch == "-":
        if isinstance(sys.stdin, _ClosedStream):
            raise UsageError("--batch -: standard input is closed")
        source = sys.stdin.buffer
    else:
        try:
            source = open(args.batch, "rb")  # noqa: SIM115
        except OSError as error:
            raise UsageError(f"{args.batch}: cannot read: {error.strerror}") from None
    method, progress = _method(args), sys.stderr.isatty()
    with source:
        if args.output in (None, "-"):
            sys.stdout.flush()
            total, failed = batch.run(kg, source, sys.stdout.buffer, method=method, progress=progress)
        else:
            total, failed = batch.run_to_file(kg, source, args.output, method=method, progress=progress)
    if failed:
        print(f"vcfkg: {failed} of {total} lines had errors (see their error objects)", file=sys.stderr)
    return 1 if failed else 0


def cmd_classify(args: argparse.Namespace) -> int:
    """The OWL path: HermiT classifies the patient under the variants' defined classes of the loaded graph."""
    kg = _kg(args)
    numbers = sorted(kg.classify(_read_patient(args.patient, kg)))
    matched = [{"variant": n, "title": kg.compiled.variants[n - 1].title} for n in numbers]
    if args.format == "json":
        _print_json({"reasoner": "HermiT", "matched": matched})
    elif matched:
        for variant in matched:
            print(f"Variant {variant['variant']}: {variant['title']}")
    else:
        print("HermiT classifies this patient under no variant.")
    if args.format != "json" and kg.notice:
        print(f"\n{kg.notice}")
    return 0


def cmd_sins(args: argparse.Namespace) -> int:
    """``vcfkg sins``: the Spinal Instability Neoplastic Score of the given components."""
    options = {
        name: value
        for name in ("location", "level", "pain", "bone_lesion", "alignment", "collapse", "posterolateral")
        if (value := getattr(args, name)) is not None
    }
    if not options:
        raise UsageError("sins: give at least one component, e.g. --level T12 --pain mechanical")
    return _emit(args, _kg(args).sins(options), "sins")


def cmd_red_flags(args: argparse.Namespace) -> int:
    """``vcfkg red-flags``: the given red flags (or all) and the conditions they point to."""
    kg = _kg(args)
    hits = kg.red_flags(args.flags) if args.flags else tuple(kg.compiled.red_flags.values())
    return _emit(args, hits, "red_flags", labels=_red_flag_labels(kg))


def _split_param(text: str) -> tuple[str, str]:
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise UsageError(f"--param {text!r}: expected NAME=VALUE")
    return name, raw


def _iri(text: str, *, strict: bool) -> object:
    """``<IRI>``, ``vcf:NAME``, an absolute IRI, or a code as ``vcfkg lookup`` reads it (CURIE or IRI) as an IRI.

    ``strict``: a text that looks like a code but is not a valid one is an error (else it stays a string).
    """
    import re

    from vcfkg.engines import IRI
    from vcfkg.errors import InvalidCodeError

    if text.startswith("<") and text.endswith(">"):
        return IRI(text[1:-1])
    if text.startswith("vcf:"):
        from vcfkg.namespace import VCF_IRI

        return IRI(VCF_IRI + text[4:])
    if ":" not in text:
        return text
    from vcfkg.mappings import parse_code

    try:
        return IRI(parse_code(text).iri)
    except InvalidCodeError:
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
            return IRI(text)
        if strict:
            raise
        return text


def _param_value(parameter: Any, raw: str) -> object:
    """A ``--param`` value read as the parameter's kinds ask (its file's example values show them).

    A table parameter takes JSON rows (``[["pain", "mechanical"]]``); in JSON, strings that are IRIs, ``vcf:NAME``
    or code CURIEs become IRIs. A single value is read as the column's kind: a whole number, true/false, an IRI or
    code, or text; a value of the wrong kind is left for the query's own check to refuse.
    """
    if raw.lstrip().startswith("["):
        from vcfkg.jsontext import JsonTextError, loads

        try:
            data = loads(raw)
        except JsonTextError as error:
            raise UsageError(f"--param {parameter.name}: {error}") from None

        def convert(value: object) -> object:
            if isinstance(value, list):
                return [convert(item) for item in value]
            return _iri(value, strict=False) if isinstance(value, str) else value

        return convert(data)
    kinds = parameter.kinds[0] if len(parameter.variables) == 1 and parameter.kinds else frozenset()
    if "iri" in kinds:
        value = _iri(raw, strict=True)
        if not isinstance(value, str) or value != raw or kinds == {"iri"}:
            return value
    if kinds & {"integer", "decimal"}:
        try:
            return int(raw)
        except ValueError:
            pass
        if "decimal" in kinds:
            try:
                return float(raw)
            except ValueError:
                pass
    if "boolean" in kinds and raw in ("true", "false"):
        return raw == "true"
    return raw


def cmd_query(args: argparse.Namespace) -> int:
    """``vcfkg query``: list the shipped queries, or run one with bound parameters."""
    from vcfkg import queries, render

    if args.list or not args.name:
        if args.param:
            raise UsageError("query --list takes no --param")
        print(render.query_list(list(queries.registry().values()), _columns()))
        return 0
    query = queries.get(args.name)
    by_name = {parameter.name: parameter for parameter in query.parameters}
    params: dict[str, object] = {}
    for text in args.param:
        name, raw = _split_param(text)
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise UsageError(f"query {query.name!r} has no parameter {name!r}; its parameters: {known}")
        value = _param_value(by_name[name], raw)
        if name in params:
            previous = params[name]
            params[name] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            params[name] = value
    kg = _kg(args)
    if query.parameters and not params:
        names = ", ".join(p.name for p in query.parameters)
        print(
            f"vcfkg: no --param given: running {query.name} with the example values written in the file "
            f"(parameters: {names})",
            file=sys.stderr,
        )
        rows = kg.query(query.name, use_example_values=True)
    else:
        rows = kg.query(args.name, **params)
    if args.format == "json":
        _print_json(rows)
    else:
        print(render.rows(rows))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """``vcfkg publish``: upload the graph (the shipped one or ``--graph``) to a SPARQL server."""
    from vcfkg.publish import publish
    from vcfkg.remote import DEFAULT_GRAPH

    endpoint = args.publish_endpoint or args.endpoint
    if not endpoint:
        raise UsageError("publish: give the server's SPARQL query URL with --endpoint URL")
    from vcfkg.kg import load

    result = publish(
        endpoint,
        update_url=args.update_endpoint,
        store_url=args.store_endpoint,
        graph_iri=args.graph_iri or DEFAULT_GRAPH,
        timeout=args.timeout,
        kg=load(args.graph) if args.graph else None,
    )
    for attempt in result.tried:
        print(f"vcfkg: tried {attempt}", file=sys.stderr)
    print(f"published {result.triples} triples to graph <{result.graph}> by {result.method} at {result.url}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``vcfkg serve``: a local read-only SPARQL endpoint over the graph."""
    from vcfkg.serve import serve

    kg = _kg(args) if args.graph or args.endpoint else None
    serve(args.port, args.host, announce=lambda line: print(line, flush=True), kg=kg)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """``vcfkg validate``: SHACL validation of the graph (``--graph``, ``--endpoint``) or of RDF files."""
    from vcfkg.validate import format_text, validate

    kg = _kg(args, check=False) if args.endpoint or args.graph else None
    report = validate([Path(name) for name in args.files], with_graph=args.with_graph, kg=kg)
    if args.format == "json":
        _print_json(report.to_json())
    else:
        print(format_text(report))
    return 0 if report.conforms else 1


def cmd_lookup(args: argparse.Namespace) -> int:
    """``vcfkg lookup CODE``: the vcfkg terms linked to an external code (exit 1 if none)."""
    links = _kg(args).lookup(args.code)
    if args.format == "json":
        _print_json([link.to_json() for link in links])
    else:
        from vcfkg import render

        if links:
            print(render.code_links(links))
    if not links:
        print(f"vcfkg: no vcfkg term is linked to {args.code}", file=sys.stderr)
        return 1
    return 0


def cmd_mappings(args: argparse.Namespace) -> int:
    """``vcfkg mappings [TERM]``: a term's external codes."""
    terms = _kg(args).mappings(args.term)
    if args.format == "json":
        _print_json([term.to_json() for term in terms])
        return 0
    from vcfkg import render

    print(render.term_mappings(terms))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``vcfkg export``: write the graph or the mapping set to files."""
    if args.format and not args.out:
        raise UsageError("export: --format needs --out DIR, the folder to write the graph to")
    if not args.mappings and not args.out:
        raise UsageError("export: say what to export: --out DIR [--format FORMAT] (the graph), or --mappings DIR")
    if args.endpoint:
        raise UsageError("export writes the shipped graph or --graph FILE, not a remote endpoint")
    written: list[Path] = []
    if args.out:
        from vcfkg.engines import RdflibEngine
        from vcfkg.export import export_graph
        from vcfkg.resources import ontology_path

        graph = RdflibEngine.from_files([Path(args.graph) if args.graph else ontology_path()]).graph
        written += export_graph(graph, args.out, args.format or "all")
    if args.mappings:
        from vcfkg.mappings import export_mappings

        written += export_mappings(args.mappings)
    for path in written:
        print(path)
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """``vcfkg docs --out DIR``: the HTML documentation of every term of the graph."""
    if args.endpoint:
        raise UsageError("docs documents an RDF file: use --graph FILE, not --endpoint")
    from vcfkg.docs import write_docs

    print(write_docs(Path(args.out), Path(args.graph) if args.graph else None))
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    """``vcfkg plot``: the rating matrix as a picture."""
    from vcfkg.plot import plot

    print(plot(_kg(args), args.out))
    return 0


# -- parser ------------------------------------------------------------------------------------------------
class VersionAction(argparse.Action):
    """``--version``, reading the package metadata only when asked (it is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        """Print the version and exit."""
        import vcfkg

        print(f"vcfkg {vcfkg.__version__}")
        parser.exit()


def _seconds(text: str) -> float:
    """A timeout: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < 1e9:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"must be positive and finite (seconds), got {text!r}")
    return value


def _with_format(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", choices=FORMATS, default="table")


def _variant_args(sub: argparse.ArgumentParser) -> None:
    _with_format(sub)
    sub.add_argument("number", type=int, help="variant number (1-9)")
    sub.add_argument(
        "--explain", action="store_true", help="under each row, why the panel rated it so and where the source says it"
    )


def _recommend_args(sub: argparse.ArgumentParser) -> None:
    _with_format(sub)
    sub.add_argument(
        "patient", nargs="?", help="patient description: JSON file (- for standard input), or RDF (.ttl, .jsonld, ...)"
    )
    sub.add_argument("--batch", metavar="FILE", help="JSON lines, one patient per line (- for standard input)")
    sub.add_argument("--output", metavar="FILE", help="with --batch: write answers here (default: stdout)")
    sub.add_argument(
        "--explain",
        action="store_true",
        help="show each criterion with its truth value, and why each procedure is rated so",
    )
    sub.add_argument(
        "--method",
        choices=("compiled", "sparql"),
        default="compiled",
        help="evaluation path: the compiled vocabulary (default) or SPARQL queries over the store; same answers",
    )
    sub.add_argument("--engine", choices=("compiled", "sparql"), help="deprecated spelling of --method")


def _classify_args(sub: argparse.ArgumentParser) -> None:
    _with_format(sub)
    sub.add_argument(
        "patient", help="patient description: JSON file (- for standard input), or RDF (.ttl, .jsonld, ...)"
    )


def _sins_args(sub: argparse.ArgumentParser) -> None:
    """The SINS components as options; their help lists the allowed values, read from the shipped graph."""
    from vcfkg.kg import load

    compiled = load().compiled
    _with_format(sub)
    allowed = {component: list(options) for component, options in compiled.sins_options.items()}
    allowed["level"] = list(compiled.sins_levels)
    for name in ("location", "level", "pain", "bone-lesion", "alignment", "collapse", "posterolateral"):
        values = allowed.get(name.replace("-", "_"), [])
        text = "the vertebral level (gives the location)" if name == "level" else f"the {name.replace('-', ' ')} option"
        sub.add_argument(f"--{name}", dest=name.replace("-", "_"), help=f"{text}: {', '.join(values)}")


def _red_flags_args(sub: argparse.ArgumentParser) -> None:
    _with_format(sub)
    sub.add_argument("flags", nargs="*", metavar="FLAG", help="red-flag ids (none: list all)")


def _lookup_args(sub: argparse.ArgumentParser) -> None:
    _with_format(sub)
    sub.add_argument("code", help="e.g. SNOMEDCT:42942008, loinc:36531-2, http://snomed.info/id/42942008")


def _mappings_args(sub: argparse.ArgumentParser) -> None:
    _with_format(sub)
    sub.add_argument("term", nargs="?", help="vcf:NAME, IRI, local name or identifier (none: every linked term)")


def _export_args(sub: argparse.ArgumentParser) -> None:
    from vcfkg.export import FORMAT_CHOICES

    sub.add_argument("--out", metavar="DIR", help="folder to write the graph to, with a MANIFEST of sha256 sums")
    sub.add_argument(
        "--format",
        choices=FORMAT_CHOICES,
        help="with --out: ttl (Turtle), nt (N-Triples), rdfxml (RDF/XML), jsonld (JSON-LD) or all (default: all)",
    )
    sub.add_argument("--mappings", metavar="DIR", help="folder to write the mapping set to (SSSOM TSV, JSON, RDF)")


def _docs_args(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--out", metavar="DIR", required=True, help="folder to write index.html to")


def _plot_args(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--out", metavar="FILE", required=True, help="FILE.svg or FILE.png")


def _query_args(sub: argparse.ArgumentParser) -> None:
    _with_format(sub)
    sub.add_argument("name", nargs="?", help="query name, e.g. variant_procedures (none: list them)")
    sub.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter (repeat it for several values); without any, the file runs with its example "
        "values. A value is read as the parameter's kind (--list shows it): a number, true or false, text, or an "
        "IRI written <IRI> or vcf:NAME, or a code as vcfkg lookup reads it (snomedct:42942008). A table "
        'parameter takes JSON rows, e.g. --param \'options=[["pain", "mechanical"], ["bone_lesion", '
        '"lytic"]]\' for sins_score',
    )
    sub.add_argument("--list", action="store_true", help="list the queries, their parameters and what they answer")


def _publish_args(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--endpoint", dest="publish_endpoint", metavar="URL", help="the server's SPARQL query URL")
    sub.add_argument("--update-endpoint", metavar="URL", help="SPARQL Update URL (default: guessed from --endpoint)")
    sub.add_argument("--store-endpoint", metavar="URL", help="Graph Store Protocol URL (default: guessed)")
    sub.add_argument("--graph", dest="graph_iri", metavar="IRI", help="named graph (default: the ontology IRI)")


def _serve_args(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    sub.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")


def _validate_args(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("files", nargs="*", metavar="FILE", help="RDF files to check alone (none: the graph)")
    sub.add_argument("--with-graph", action="store_true", help="check the files together with the graph")
    sub.add_argument("--format", choices=("text", "json"), default="text")


Handler = Callable[[argparse.Namespace], int]
# name -> (handler, help, arguments); the order is the order of --help.
COMMANDS: dict[str, tuple[Handler, str, Callable[[argparse.ArgumentParser], None]]] = {
    "variants": (cmd_variants, "list the 9 clinical variants", _with_format),
    "variant": (cmd_variant, "one variant's rated procedures, as printed", _variant_args),
    "procedures": (cmd_procedures, "the 17 procedures, their facets and ratings", _with_format),
    "recommend": (cmd_recommend, "matching variants and procedures for a patient", _recommend_args),
    "classify": (cmd_classify, "the matched variants by OWL classification (HermiT; needs Java)", _classify_args),
    "sins": (cmd_sins, "Spinal Instability Neoplastic Score", _sins_args),
    "red-flags": (cmd_red_flags, "red flags and the conditions they point to", _red_flags_args),
    "lookup": (cmd_lookup, "vcfkg terms linked to an external code (CURIE or IRI)", _lookup_args),
    "mappings": (cmd_mappings, "a term's SNOMED CT, RadLex, LOINC and Playbook codes", _mappings_args),
    "export": (cmd_export, "write the graph in RDF serializations, or the mapping set", _export_args),
    "plot": (cmd_plot, "draw the rating matrix (variants × procedures) as SVG or PNG; needs vcfkg[plot]", _plot_args),
    "query": (cmd_query, "run one of the shipped SPARQL queries", _query_args),
    "validate": (cmd_validate, "check the graph, or RDF files, against the SHACL shapes", _validate_args),
    "publish": (cmd_publish, "upload the graph into a SPARQL server's named graph (idempotent)", _publish_args),
    "serve": (cmd_serve, "a local read-only SPARQL endpoint, with a query page, over the graph", _serve_args),
    "docs": (cmd_docs, "HTML documentation of every class, property and individual (pyLODE)", _docs_args),
}
GLOBAL_OPTIONS_WITH_VALUE = ("--endpoint", "--timeout", "--graph")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that command's (argparse setup costs ~1 ms per command)."""
    parser = Parser(
        prog="vcfkg",
        description="The ACR Appropriateness Criteria on vertebral compression fractures as a knowledge graph. "
        "Exit codes: 0 ok, 1 problems found, 2 bad input, 3 the environment failed (Java, HermiT, a server).",
    )
    parser.add_argument("--version", action=VersionAction, nargs=0, help="show the version and exit")
    parser.add_argument("--endpoint", metavar="URL", help="run on a remote SPARQL 1.1 query endpoint")
    parser.add_argument("--timeout", type=_seconds, default=30.0, metavar="S", help="remote timeout (default 30 s)")
    parser.add_argument(
        "--graph", metavar="FILE", help="use this RDF file instead of the shipped graph (every command)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (handler, help, arguments) in COMMANDS.items():
        if only is None or name == only:
            sub = commands.add_parser(name, help=help, description=help)
            sub.set_defaults(handler=handler)
            arguments(sub)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the first word that is not a global option or its value), if known."""
    words = iter(argv)
    for word in words:
        if word in GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


class _ClosedStream:
    """Stands for a standard stream the command was started without (``>&-``): using it is an OSError."""

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def read(self, size: int = -1) -> str:
        raise OSError(errno.EBADF, f"{self.name} is closed")


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message as one printable line: control characters escaped, cut at ``limit`` with a marker."""
    if len(text) > limit:
        text = text[:limit] + f"… [{len(text) - limit} more characters]"
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _report(message: str) -> None:
    try:
        sys.stderr.write(f"vcfkg: error: {one_line(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no stderr to report on: the exit code says it
        pass


def _silence_stdout() -> None:
    """After a failed write, point standard output at /dev/null so Python's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _refuse_nul_bytes(args: argparse.Namespace) -> None:
    """A NUL byte can be in no file name, URL or value: refuse it by the option that carries it."""
    for dest, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and "\x00" in item for item in values):
            raise UsageError(f"{dest}: contains a NUL byte")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on standard error and an exit code (see the module)."""
    from vcfkg import interrupt

    with interrupt.handled():
        for name, title in (("stdin", "standard input"), ("stdout", "standard output"), ("stderr", "standard error")):
            if getattr(sys, name) is None:
                setattr(sys, name, _ClosedStream(title))
        try:
            argv = sys.argv[1:] if argv is None else list(argv)
            try:
                args = build_parser(_command_of(argv)).parse_args(argv)
                _refuse_nul_bytes(args)
                if not getattr(args, "handler", None):
                    build_parser().print_help()
                    code = 2
                else:
                    code = int(args.handler(args))
            except SystemExit as done:  # --help and --version print, then exit
                code = done.code if isinstance(done.code, int) else 0
            sys.stdout.flush()
            return code
        except EnvironmentFailure as error:
            _report(str(error))
            return 3
        except (UsageError, VcfkgError) as error:
            _report(str(error))
            return 2
        except KeyboardInterrupt:
            return interrupt.EXIT_INTERRUPTED
        except RecursionError:
            _report("input nested too deeply")
            return 2
        except MemoryError:
            _report("out of memory")
            return 2
        except OSError as error:  # writing the output failed: /dev/full, a closed or broken pipe
            _silence_stdout()
            if error.errno == errno.EPIPE:
                return 0
            _report(f"cannot write the output: {error.strerror or error}")
            return 3  # the environment failed, not the input
