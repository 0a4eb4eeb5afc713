"""A base's file read by its content: CSV (encoding and separator found), XLSX in read-only
mode, and the refusals that come before anything is imported."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from atiende.actions.base_files import data_rows, inspect
from atiende.domain.errors import Invalid


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "f.upload"
    path.write_bytes(data)
    return path


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_spanish_excel_csv_is_read(tmp_path: Path) -> None:
    data = "DNI;Nombre;Teléfono\n1;José;987654321\n\n2;Ña;\n".encode("cp1252")
    path = write(tmp_path, data)
    seen = inspect(path, "base.csv")
    assert (seen.layout.encoding, seen.layout.delimiter) == ("cp1252", ";")
    assert seen.columns == ("DNI", "Nombre", "Teléfono")
    assert seen.preview == [["1", "José", "987654321"], ["2", "Ña", ""]]
    assert seen.rows_total == 3
    assert list(data_rows(path, seen.layout)) == [
        (2, ["1", "José", "987654321"]),
        (4, ["2", "Ña", ""]),
    ]


def test_utf8_with_bom_and_commas(tmp_path: Path) -> None:
    path = write(tmp_path, '\ufeffa,b\n1,"x, y"\n'.encode())
    seen = inspect(path, "base.txt")
    assert seen.columns == ("a", "b") and seen.preview == [["1", "x, y"]]


def test_an_xlsx_streams_its_first_sheet_formulas_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, xlsx([[None], ["id", "tel"], [1, 987654321], [2, "=A3*2"]]))
    seen = inspect(path, "base.xlsx")
    assert seen.layout.kind == "xlsx" and seen.columns == ("id", "tel")
    assert list(data_rows(path, seen.layout)) == [(3, ["1", "987654321"]), (4, ["2", "=A3*2"])]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "a.csv", "base_file_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "a.xls", "base_file_type"),
        (b"a,b\n1,2\n", "a.xlsx", "base_file_disguised"),
        (b"", "a.csv", "base_file_empty"),
        (b"\n\n", "a.csv", "base_file_empty"),
        (b"PK\x03\x04garbage", "a.xlsx", "base_file_unreadable"),
        (b"a,A,b\n", "a.csv", "base_header_duplicate"),
        (",".join(f"c{i}" for i in range(61)).encode(), "a.csv", "base_too_many_columns"),
    ],
)
def test_refusals(tmp_path: Path, data: bytes, name: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        inspect(write(tmp_path, data), name)
    assert refused.value.code == code


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hola.txt", "hola")
    with pytest.raises(Invalid) as refused:
        inspect(write(tmp_path, out.getvalue()), "a.xlsx")
    assert refused.value.code == "base_file_type"


def test_an_xlsx_that_expands_too_far_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<x/>")
        with z.open("xl/sharedStrings.xml", "w") as member:
            for _ in range(401):
                member.write(bytes(1024 * 1024))
    with pytest.raises(Invalid) as refused:
        inspect(write(tmp_path, out.getvalue()), "a.xlsx")
    assert refused.value.code == "base_file_expanded"
