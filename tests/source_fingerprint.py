"""A fingerprint of the guideline's text, so tests can check vcfkg's own prose against it without shipping it.

``python tests/source_fingerprint.py SOURCE.txt`` writes, from the plain text of the ACR document:

* ``tests/data/source/shingles.txt``: a short hash of every run of 8 consecutive words (lower case, letters and
  digits only), one per line, sorted; a run of 8 words in our text whose hash is listed is shared with the source;
* ``tests/data/source/headings.tsv``: each variant of "Discussion of Procedures by Variant" with the headings of
  its procedure sections, as printed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from support import SOURCE_DATA, runs

_HEADING = re.compile(r"^[A-Z][A-Za-z0-9/ -]{3,60}$")
_VARIANT = re.compile(r"^Variant (\d):")


def _discussion_headings(text: str) -> list[tuple[int, str]]:
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("Discussion of Procedures by Variant")
    end = lines.index("Summary of Highlights")
    found: list[tuple[int, str]] = []
    variant = 0
    for line in lines[start + 1 : end]:
        if match := _VARIANT.match(line):
            variant = int(match.group(1))
        elif variant and _HEADING.match(line):
            found.append((variant, line))
    return found


def main(source: str) -> None:
    text = Path(source).read_text(encoding="utf-8")
    SOURCE_DATA.mkdir(parents=True, exist_ok=True)
    (SOURCE_DATA / "shingles.txt").write_text("".join(f"{h}\n" for h in sorted({d for _, d in runs(text)})))
    rows = "".join(f"{n}\t{h}\n" for n, h in _discussion_headings(text))
    (SOURCE_DATA / "headings.tsv").write_text("variant\theading\n" + rows, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
