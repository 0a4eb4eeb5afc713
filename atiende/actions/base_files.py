"""A customer base's file, read by its content: what it is (CSV or XLSX, whatever its name
says), its header, and its rows one by one so that memory stays bounded (csv reader,
openpyxl's read-only mode). A refusal here happens before anything is imported."""

import codecs
import csv
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl import load_workbook

from atiende.domain.base_rows import MAX_COLUMNS, cell_text, duplicate, header
from atiende.domain.errors import Invalid

FileKind = Literal["csv", "xlsx"]
PREVIEW_ROWS = 5
# An XLSX is a zip: what it expands to is bounded too (a small file can hold gigabytes).
MAX_EXPANDED_BYTES = 400 * 1024 * 1024
_CHUNK = 1024 * 1024
_DELIMITERS = ",;\t|"
_NAMES: dict[str, FileKind] = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
# Generators, so that a reader stopped early closes its file (`close()`).
Rows = Generator[tuple[int, list[object]]]
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Layout:
    """How to read the file again: its kind and, for a CSV, its text encoding and separator."""

    kind: FileKind
    encoding: str = "utf-8-sig"
    delimiter: str = ","


@dataclass(frozen=True)
class Inspection:
    layout: Layout
    columns: tuple[str, ...]
    preview: list[list[str]]
    # Data rows, counted (CSV) or as the sheet states them (XLSX, None when it does not).
    rows_total: int | None


def inspect(path: Path, filename: str) -> Inspection:
    """The file's layout, header and first rows; refuses what is not a base we can read."""
    layout = _layout(path, filename)
    stated: list[int | None] = []
    rows = _xlsx_rows(path, stated.append) if layout.kind == "xlsx" else _csv_rows(path, layout)
    try:
        for _, cells in rows:
            columns = header(cells)
            if columns:
                break
        else:
            raise Invalid("base_file_empty", "El archivo no tiene encabezados ni filas.")
        if len(columns) > MAX_COLUMNS:
            raise Invalid(
                "base_too_many_columns",
                f"El archivo tiene {len(columns)} columnas; se admiten hasta {MAX_COLUMNS}.",
                params={"count": len(columns), "max": MAX_COLUMNS},
            )
        if (repeated := duplicate(columns)) is not None:
            raise Invalid(
                "base_header_duplicate",
                f"La columna {repeated} se repite en el encabezado.",
                params={"column": repeated[:60]},
            )
        preview = [cells for _, cells in _take(_data(rows, len(columns)), PREVIEW_ROWS)]
    finally:
        rows.close()
    total = _count_lines(path) if layout.kind == "csv" else (stated[0] if stated else None)
    return Inspection(layout, columns, preview, total)


def data_rows(path: Path, layout: Layout) -> Generator[tuple[int, list[str]]]:
    """(row number in the file, cells as text) after the header, blank rows skipped."""
    rows = _raw_rows(path, layout)
    try:
        for _, cells in rows:
            if columns := header(cells):
                yield from _data(rows, len(columns))
                return
    finally:
        rows.close()


def _data(rows: Iterator[tuple[int, list[object]]], width: int) -> Iterator[tuple[int, list[str]]]:
    for number, cells in rows:
        texts = [cell_text(c) for c in cells[:width]]
        if any(texts):
            yield number, texts


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def _take(rows: Iterator[tuple[int, list[str]]], n: int) -> list[tuple[int, list[str]]]:
    taken = []
    for row in rows:
        taken.append(row)
        if len(taken) == n:
            break
    return taken


def _layout(path: Path, filename: str) -> Layout:
    with path.open("rb") as f:
        head = f.read(8192)
    if not head:
        raise Invalid("base_file_empty", "El archivo no tiene encabezados ni filas.")
    kind = _content_kind(path, head)
    named = _NAMES.get(Path(filename).suffix.lower())
    if named is not None and named != kind:
        raise Invalid(
            "base_file_disguised",
            f"El archivo se llama {filename} pero su contenido es {kind.upper()}.",
            params={"kind": kind.upper(), "name": filename[-80:]},
        )
    if kind == "xlsx":
        return Layout("xlsx")
    encoding = _encoding(path)
    return Layout("csv", encoding, _delimiter(path, encoding))


def _content_kind(path: Path, head: bytes) -> FileKind:
    if head.startswith(b"PK\x03\x04"):
        _check_xlsx(path)
        return "xlsx"
    if head.startswith(_OLE2):
        raise Invalid(
            "base_file_type",
            "El archivo no es CSV ni XLSX (un XLS antiguo: guárdelo como XLSX).",
            params={"reason": "xls"},
        )
    if b"\x00" in head or not _looks_like_text(head):
        raise Invalid("base_file_type", "El archivo no es CSV ni XLSX.")
    return "csv"


def _looks_like_text(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls * 100 <= len(head)


def _check_xlsx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        raise Invalid("base_file_unreadable", "No se pudo leer el archivo: está dañado.") from None
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise Invalid("base_file_type", "El archivo no es CSV ni XLSX.")
    if sum(i.file_size for i in infos) > MAX_EXPANDED_BYTES:
        raise Invalid(
            "base_file_expanded",
            "El XLSX se expande a más de lo que se admite.",
            params={"max_mb": MAX_EXPANDED_BYTES // (1024 * 1024)},
        )


def _encoding(path: Path) -> str:
    """UTF-8 when the whole file decodes as such, else Windows-1252 (Excel's CSV in Spanish)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        sample = f.read(64 * 1024)
    first = sample.splitlines()[0] if sample else ""
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # One column, or a sample the sniffer cannot decide: the header's commonest separator.
        return max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else ","


def _raw_rows(path: Path, layout: Layout) -> Rows:
    return _xlsx_rows(path) if layout.kind == "xlsx" else _csv_rows(path, layout)


def _csv_rows(path: Path, layout: Layout) -> Rows:
    # cp1252 leaves five bytes undefined: they are replaced, not a reason to refuse the file.
    with path.open(encoding=layout.encoding, errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=layout.delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, list(cells)
        except csv.Error as exc:
            raise Invalid(
                "base_file_unreadable",
                f"No se pudo leer el archivo (fila {reader.line_num}).",
                params={"row": reader.line_num},
            ) from exc


def _xlsx_rows(path: Path, on_size: Callable[[int | None], None] | None = None) -> Rows:
    """The first sheet's rows; `on_size` hears the data rows the sheet states it has."""
    # data_only=False: a formula's cell is its text, never a value something computed.
    # Given an open file, not the path: openpyxl judges a path by its extension.
    f = path.open("rb")
    try:
        book = load_workbook(f, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        f.close()
        raise Invalid("base_file_unreadable", "No se pudo leer el archivo: está dañado.") from exc
    try:
        sheet = book.worksheets[0]
        if on_size is not None:
            # What the file says (Excel writes it; some writers do not), not a count.
            stated = sheet.max_row
            on_size(max(stated - 1, 0) if isinstance(stated, int) else None)
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except Exception as exc:  # a sheet broken past its first rows: nothing is imported
        raise Invalid("base_file_unreadable", "No se pudo leer el archivo: está dañado.") from exc
    finally:
        book.close()
        f.close()
