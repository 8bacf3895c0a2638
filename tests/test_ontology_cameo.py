"""The CAMEO ontology table: complete, consistent, and validated on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.kb.ontology import COLUMNS, load_ontology

HEADER = "\t".join(COLUMNS)


def write_table(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "cameo.tsv"
    path.write_text("# a test table\n" + HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_packaged_ontology_has_all_twenty_roots() -> None:
    ontology = load_ontology()
    assert [c.code for c in ontology.roots()] == [f"{n:02d}" for n in range(1, 21)]
    assert len(ontology) >= 300


@pytest.mark.parametrize(
    ("code", "root", "goldstein", "quad", "plover"),
    [
        ("043", "04", 2.8, 1, "CONSULT"),
        ("081", "08", 5.0, 2, "CONCEDE"),
        ("172", "17", -5.0, 4, "COERCE"),
        ("112", "11", -2.0, 3, "ACCUSE"),
        ("020", "02", 3.0, 1, None),
    ],
)
def test_code_fields(code: str, root: str, goldstein: float, quad: int, plover: str | None) -> None:
    cameo = load_ontology().get(code)
    assert (cameo.root, cameo.goldstein, cameo.quad_class, cameo.plover) == (root, goldstein, quad, plover)
    assert cameo.name


def test_is_valid_and_children() -> None:
    ontology = load_ontology()
    assert ontology.is_valid("0212") and not ontology.is_valid("999") and not ontology.is_valid("21")
    assert [c.code for c in ontology.children("021")] == ["0211", "0212", "0213", "0214"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("21\tNot a root\t21\t0.0\t4\t", "bad CAMEO code"),
        ("04\tConsult\t05\t1.0\t1\t", "root"),
        ("04\tConsult\t04\t12.0\t1\t", "outside -10..10"),
        ("04\tConsult\t04\t1.0\t3\t", "does not match root"),
        ("04\tConsult\t04\tmany\t1\t", "not a number"),
        ("04\tConsult\t04\t1.0", "expected 6 columns"),
    ],
)
def test_bad_rows_are_rejected_with_the_file_named(tmp_path: Path, row: str, problem: str) -> None:
    path = write_table(tmp_path, row)
    with pytest.raises(DataFileError) as caught:
        load_ontology(path)
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_base_code_without_root_is_rejected(tmp_path: Path) -> None:
    path = write_table(tmp_path, "042\tMake a visit\t04\t1.9\t1\tCONSULT")
    with pytest.raises(DataFileError, match="parent 04 missing"):
        load_ontology(path)


def test_duplicate_codes_are_rejected(tmp_path: Path) -> None:
    path = write_table(tmp_path, "04\tConsult\t04\t1.0\t1\t", "04\tConsult again\t04\t1.0\t1\t")
    with pytest.raises(DataFileError, match="duplicate code 04"):
        load_ontology(path)
