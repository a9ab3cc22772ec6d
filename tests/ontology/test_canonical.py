"""ontology/vcf.ttl stays in one canonical serialization, and the fix command really fixes a file."""

from __future__ import annotations

import shutil
from pathlib import Path

from vcfkg import canonical
from vcfkg.resources import ontology_path


def test_vcf_ttl_is_canonical_longturtle() -> None:
    path = ontology_path()
    assert path.read_text(encoding="utf-8") == canonical.canonical_text(path), (
        f"{path} is not in canonical longturtle form; fix it with: {canonical.FIX_COMMAND}"
    )


def test_fix_command_rewrites_a_non_canonical_file(tmp_path: Path) -> None:
    scrambled = tmp_path / "vcf.ttl"
    shutil.copy(ontology_path(), scrambled)
    text = scrambled.read_text(encoding="utf-8")
    scrambled.write_text(text.replace("    a ", "  a  ", 5), encoding="utf-8")

    assert canonical.main([str(scrambled)]) == 0
    assert scrambled.read_text(encoding="utf-8") == text
    assert canonical.main([str(scrambled)]) == 0  # a second run changes nothing
    assert scrambled.read_text(encoding="utf-8") == text


def test_fix_command_reports_an_unparsable_file_in_one_line(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle .\n", encoding="utf-8")
    assert canonical.main([str(broken)]) == 2
    error = capsys.readouterr().err
    assert str(broken) in error and error.count("\n") == 1
