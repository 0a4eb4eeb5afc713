"""A base's rows: phones to E.164 in the campaign's region, the mapping of columns, the
per-row errors, cells as text (formulas never evaluated), the header and the search text."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from atiende.domain.base_rows import (
    Mapper,
    Mapping,
    Record,
    RowError,
    cell_text,
    duplicate,
    fold,
    header,
    suggest,
)
from atiende.domain.phones import is_region, search_phone, to_e164, wa_id_e164

COLUMNS = ("documento", "nombre", "telefono", "plan")


@pytest.mark.parametrize(
    "raw", ["987654321", "+51 987 654 321", "51987654321", "0051987654321", "987-654-321"]
)
def test_every_way_of_writing_a_peruvian_mobile_is_one_number(raw: str) -> None:
    assert to_e164(raw, "PE") == "+51987654321"


def test_the_region_reads_numbers_without_a_country_code() -> None:
    assert to_e164("55 1234 5678", "MX") == "+525512345678"
    assert to_e164("+51 987 654 321", "MX") == "+51987654321"
    assert to_e164("12", "PE") is None
    assert to_e164("abc", "PE") is None
    assert to_e164("   ", "PE") is None
    assert is_region("PE") and not is_region("XX")


def test_whatsapp_ids_and_searches_as_numbers() -> None:
    assert wa_id_e164("51987654321") == "+51987654321"
    assert wa_id_e164(None) is None and wa_id_e164("abc") is None
    assert search_phone("+51 987 654 321", "PE") == "+51987654321"
    assert search_phone("987654321", "PE") == "+51987654321"
    assert search_phone("Ana 987", "PE") is None
    assert search_phone("12-3", "PE") is None


def mapper(name: str | None = "nombre") -> Mapper:
    return Mapper(Mapping(COLUMNS, "documento", "telefono", name), "PE")


def test_a_row_becomes_a_record_with_every_column_kept() -> None:
    record = mapper().record(2, ["10", "José Núñez", "987 654 321", "oro"])
    assert record == Record(
        row=2,
        key="10",
        phone="+51987654321",
        name="José Núñez",
        fields={
            "documento": "10",
            "nombre": "José Núñez",
            "telefono": "987 654 321",
            "plan": "oro",
        },
        search="10\njose nunez\n987 654 321\noro",
    )


def test_short_rows_are_padded_and_a_phone_may_be_missing() -> None:
    record = mapper(None).record(3, ["11"])
    assert isinstance(record, Record)
    assert (record.phone, record.name, record.fields["plan"]) == (None, None, "")


def test_each_bad_row_says_its_column_and_reason() -> None:
    m = mapper()
    assert m.record(2, ["", "Ana", "987654321", ""]) == RowError(2, "documento", "key_missing")
    assert m.record(3, ["1", "Ana", "12", ""]) == RowError(3, "telefono", "phone_invalid", "12")
    assert isinstance(m.record(4, ["1", "Ana", "987654321", ""]), Record)
    assert m.record(5, ["1", "Otra", "", ""]) == RowError(5, "documento", "key_duplicate", "1")
    too_long = m.record(6, ["2", "x" * 1001, "", ""])
    assert isinstance(too_long, RowError) and too_long.reason == "too_long"
    assert too_long.column == "nombre"
    assert m.record(7, ["k" * 201, "", "", ""]) == RowError(
        7, "documento", "key_too_long", "k" * 40
    )


def test_cells_are_the_text_a_person_typed() -> None:
    assert cell_text("=SUM(A1:A9)") == "=SUM(A1:A9)"
    assert cell_text(987654321.0) == "987654321"
    assert cell_text(12.5) == "12.5"
    assert cell_text(51987654321) == "51987654321"
    assert cell_text(Decimal("1.50")) == "1.50"
    assert cell_text(datetime(2026, 1, 2)) == "2026-01-02"
    assert cell_text(datetime(2026, 1, 2, 3, 4)) == "2026-01-02 03:04:00"
    assert cell_text(date(2026, 1, 2)) == "2026-01-02"
    assert cell_text(True) == "TRUE"
    assert cell_text(None) == ""
    assert cell_text("  Ana  ") == "Ana"


def test_the_header_names_every_column_once() -> None:
    assert header(["DNI", None, "Teléfono", None, None]) == ("DNI", "columna 2", "Teléfono")
    assert header([None, ""]) == ()
    assert duplicate(["Nombre", "Teléfono", "nombre"]) == "nombre"
    assert duplicate(["a", "b"]) is None


def test_a_first_guess_of_the_mapping() -> None:
    assert suggest(["DNI", "Nombre completo", "Celular", "Plan"]) == {
        "phone": "Celular",
        "key": "DNI",
        "name": "Nombre completo",
    }
    assert suggest(["x", "y"]) == {"phone": None, "key": None, "name": None}


def test_search_text_folds_case_and_accents() -> None:
    assert fold("JOSÉ Núñez") == "jose nunez"
