"""Spinal Instability Neoplastic Score (Fisher et al., Spine 2010) from the graph's components and classes."""

from __future__ import annotations

from collections.abc import Mapping

from vcfkg.compiled import Compiled
from vcfkg.models import SinsResult


def score(compiled: Compiled, options: Mapping[str, str], level: str | None = None) -> SinsResult:
    """Score validated options (see :func:`vcfkg.patient.parse_sins`); missing components widen the range."""
    components = tuple(
        (component, compiled.sins_options[component][options[component]])
        for component in compiled.sins_options
        if component in options
    )
    known = sum(points.points for _, points in components)
    missing = tuple(component for component in compiled.sins_options if component not in options)
    low = known + sum(min(o.points for o in compiled.sins_options[c].values()) for c in missing)
    high = known + sum(max(o.points for o in compiled.sins_options[c].values()) for c in missing)
    category = None
    for label, class_low, class_high in compiled.sins_classes:
        if class_low <= low and high <= class_high:
            category = label
    return SinsResult(
        components=components,
        score=known if not missing else None,
        score_range=(low, high),
        category=category,
        missing=missing,
        level=level,
    )
