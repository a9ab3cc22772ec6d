"""Plain-text tables for the CLI's ``--format table`` output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from vcfkg.engines import Row
from vcfkg.models import (
    Conflict,
    Procedure,
    ProcedureRating,
    RatedProcedure,
    Recommendation,
    RedFlagHit,
    SinsResult,
    Variant,
)
from vcfkg.sins import UNDECIDED

if TYPE_CHECKING:
    from vcfkg.mappings import CodeLink, TermMappings
    from vcfkg.queries import Query


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], wrap: Sequence[int] | None = None) -> str:
    """Columns padded to their widest cell; with ``wrap``, each column's cells wrapped to that many characters."""
    import textwrap

    def lines_of(text: str, column: int) -> list[str]:
        if wrap is None or len(text) <= wrap[column]:
            return [text]
        return textwrap.wrap(text, wrap[column], break_on_hyphens=False) or [""]

    header = [str(h) for h in headers]
    body = [[lines_of("" if c is None else str(c), i) for i, c in enumerate(row)] for row in rows]
    widths = [max([len(header[i])] + [len(line) for cells in body for line in cells[i]]) for i in range(len(headers))]
    out = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(header)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for cells in body:
        for index in range(max(len(c) for c in cells)):
            parts = [(c[index] if index < len(c) else "").ljust(widths[i]) for i, c in enumerate(cells)]
            out.append("  ".join(parts).rstrip())
    return "\n".join(out)


def abbreviation(category: str) -> str:
    """A category's initials, with a parenthesized qualifier kept: 'May Be Appropriate (Disagreement)' -> 'MBA(D)'."""
    name, _, qualifier = category.partition(" (")
    short = "".join(word[0] for word in name.split() if word[:1].isupper())
    return short + (f"({qualifier[0]})" if qualifier else "")


def _rated_in(ratings: Sequence[ProcedureRating]) -> str:
    return "; ".join(f"{r.variant}: {r.category}" for r in ratings)


def _ratings(ratings: Sequence[RatedProcedure], *, explain: bool = False) -> str:
    text = table(
        ["#", "Procedure", "Category", "Rating range"],
        [(r.order, r.procedure, r.category, f"{r.rating_range[0]}-{r.rating_range[1]}") for r in ratings],
    )
    if not explain:
        return text
    lines = text.splitlines()
    out = lines[:2]
    for line, rated in zip(lines[2:], ratings, strict=True):
        out += [line, f"   Why: {rated.rationale} [{rated.source_section}]"]
    return "\n".join(out)


def variant(v: Variant, *, explain: bool = False) -> str:
    """One variant's table; ``explain`` prints under each row why the panel rated it so, and where it says so."""
    return f"Variant {v.number} ({v.question}): {v.title}\n\n{_ratings(v.ratings, explain=explain)}"


def variants(vs: Sequence[Variant]) -> str:
    """The variants as a table."""
    return table(["Variant", "Question", "Title"], [(v.number, v.question, v.title) for v in vs])


# Column widths of ``vcfkg procedures`` so that the table fits a 100-column terminal.
PROCEDURE_COLUMNS = (26, 10, 12, 13, 13, 14)


def procedures(ps: Sequence[Procedure]) -> str:
    """The procedures in 100 columns: long cells wrapped, categories abbreviated (a key follows the table)."""
    categories = list(dict.fromkeys(r.category for p in ps for r in p.ratings))
    rows = [
        (
            p.name,
            p.kind + (", image-guided" if p.image_guided_intervention else ""),
            p.modality,
            p.contrast,
            p.coverage,
            "  ".join(f"{r.variant}:{abbreviation(r.category)}" for r in p.ratings),
        )
        for p in ps
    ]
    key = "; ".join(f"{abbreviation(c)} {c}" for c in categories)
    headers = ["Procedure", "Kind", "Modality", "Contrast", "Coverage", "Rated in"]
    legend = textwrap_fill(f"Rated in: variant:category, where {key}. All fields: --format json.", 100)
    return table(headers, rows, wrap=PROCEDURE_COLUMNS) + "\n\n" + legend


def textwrap_fill(text: str, width: int) -> str:
    """``textwrap.fill``, imported when needed."""
    import textwrap

    return textwrap.fill(text, width)


def red_flags(hits: Sequence[RedFlagHit], labels: Mapping[str, str] | None = None) -> str:
    """Red flags with the id a patient's ``red_flags`` takes; a sign names its syndrome by label (``labels``: id to
    label of every red flag, else those in ``hits``)."""
    known = dict(labels) if labels is not None else {h.flag: h.label for h in hits}
    return table(
        ["Id (red_flags)", "Red flag", "Potential underlying condition"],
        [
            (h.flag, h.label + (f" (sign of {known.get(h.sign_of, h.sign_of)})" if h.sign_of else ""), h.condition)
            for h in hits
        ],
    )


def sins(result: SinsResult) -> str:
    """A SINS result: components, score (or range) and category."""
    lines = [
        table(
            ["Component", "Option", "Points"],
            [(name, c.label, c.points) for name, c in result.components]
            + [(name, "(not given)", "") for name in result.missing],
        )
    ]
    if result.score is not None:
        lines.append(f"SINS {result.score}: {result.category}")
    else:
        low, high = result.score_range
        verdict = result.category or UNDECIDED
        lines.append(f"SINS between {low} and {high}: {verdict} (missing: {', '.join(result.missing)})")
    if result.level:
        lines.insert(0, f"Level {result.level}")
    return "\n".join(lines)


def red_flags_first(hits: Sequence[RedFlagHit], labels: Mapping[str, str] | None = None) -> str:
    """The patient's red flags under a heading saying what they mean, printed before any variant table."""
    heading = (
        "RED FLAGS: the guideline's Appendix 1 lists these as indications of a more complicated status; "
        "each points to a potential underlying condition:"
    )
    return f"{heading}\n{red_flags(hits, labels)}"


def conflicts(items: Sequence[Conflict]) -> str:
    """The procedures the matched variants rate differently, with a plain warning."""
    lines = [
        "CONFLICTING RATINGS: the matched variants rate these procedures differently. The guideline does not rank "
        "overlapping variants; read both variants and weigh them for this patient."
    ]
    for conflict in items:
        rated = "; ".join(
            f"variant {r.variant}: {r.category} ({r.rating_range[0]}-{r.rating_range[1]})" for r in conflict.ratings
        )
        lines.append(f"  {conflict.label}: {rated}")
    return "\n".join(lines)


def recommendation(answer: Recommendation, red_flag_labels: Mapping[str, str] | None = None) -> str:
    """An answer as text: red flags first, matched variants with their tables, conflicts, possible and excluded ones."""
    parts: list[str] = []
    if answer.red_flags:
        parts.append(red_flags_first(answer.red_flags, red_flag_labels))
    if not answer.matched:
        parts.append("No variant matches this patient.")
    for m in answer.matched:
        criteria = "".join("\n" + line for line in _criteria(m.criteria))
        rows = _ratings(m.procedures, explain=bool(m.criteria))
        parts.append(f"Matched variant {m.variant} ({m.question}): {m.title}{criteria}\n\n{rows}")
    if answer.conflicts:
        parts.append(conflicts(answer.conflicts))
    if answer.possible:
        lines = ["Possible variants (these facts would decide them):"]
        for p in answer.possible:
            lines.append(f"  variant {p.variant}: {', '.join(p.missing)}")
            lines.extend("  " + line for line in _criteria(p.criteria))
        parts.append("\n".join(lines))
    if answer.excluded:
        lines = ["Excluded variants:"]
        for e in answer.excluded:
            lines.append(f"  variant {e.variant}: {e.reason}")
            lines.extend("  " + line for line in _criteria(e.criteria))
        parts.append("\n".join(lines))
    if answer.sins is not None:
        parts.append(sins(answer.sins))
    return "\n\n".join(parts)


def _criteria(criteria: Sequence[object]) -> list[str]:
    return [f"    [{c.truth}] {c.criterion}" for c in criteria]  # type: ignore[attr-defined]


def rows(result: Sequence[Row]) -> str:
    """Query rows as a table."""
    if not result:
        return "(no rows)"
    headers = list(result[0])
    return table(headers, [[row[h] for h in headers] for row in result])


def query_list(queries: Sequence[Query], width: int = 100) -> str:
    """Every query: its name, its parameters with the kinds they take, and its whole description, wrapped."""
    import textwrap

    blocks = []
    for query in queries:
        lines = [query.name]
        params = "; ".join(p.describe() for p in query.parameters) or "none"
        lines += textwrap.wrap(
            f"parameters: {params}", max(width, 40), initial_indent="    ", subsequent_indent="      "
        )
        lines += textwrap.wrap(query.description, max(width, 40), initial_indent="    ", subsequent_indent="    ")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def code_links(links: Sequence[CodeLink]) -> str:
    """Each link in the direction of its triple: our term, the SKOS predicate, the code."""
    return table(
        ["vcfkg term", "Link", "Code", "Label", "Rated in (variant: category)"],
        [
            (
                link.term,
                link.predicate,
                link.code,
                link.label,
                _rated_in(link.ratings),
            )
            for link in links
        ],
    )


def term_mappings(terms: Sequence[TermMappings]) -> str:
    """Terms and their external codes as a table."""
    rows = []
    for term in terms:
        if not term.codes:
            rows.append((term.term, term.label, "(no verified code; mappings/vcfkg.sssom.tsv records why)", ""))
        rows.extend((term.term, term.label, code.code, code.predicate) for code in term.codes)
    return table(["vcfkg term", "Label", "Code", "Link"], rows)
