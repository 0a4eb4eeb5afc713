"""Form definitions and values validated by type, with a message per field."""

import pytest

from atiende.domain.forms import FieldSpec, check_definition, missing_required, validate

FIELDS = [
    FieldSpec("nombre", "Nombre", "text", True),
    FieldSpec("notas", "Notas", "long_text"),
    FieldSpec("edad", "Edad", "number"),
    FieldSpec("fecha", "Fecha", "date"),
    FieldSpec("motivo", "Motivo", "select", True, ("Compra", "Reclamo")),
    FieldSpec("temas", "Temas", "multi_select", False, ("A", "B", "C")),
    FieldSpec("acepta", "Acepta", "checkbox", True),
    FieldSpec("telefono", "Teléfono", "phone"),
    FieldSpec("correo", "Correo", "email"),
]


def test_valid_values_are_cleaned() -> None:
    clean, errors = validate(
        FIELDS,
        {
            "nombre": "Ana",
            "edad": "41",
            "fecha": "2026-11-25",
            "motivo": "Compra",
            "temas": ["C", "A"],
            "acepta": True,
            "telefono": "+52 55 1234 5678",
            "correo": "ana@example.com",
            "desconocido": "x",
        },
        require=True,
    )
    assert errors == {}
    assert clean["edad"] == 41
    assert clean["temas"] == ["A", "C"], "kept in the form's order"
    assert "desconocido" not in clean


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("edad", "cuarenta"),
        ("edad", True),
        ("fecha", "25/11/2026"),
        ("motivo", "Otro"),
        ("temas", ["Z"]),
        ("temas", "A"),
        ("acepta", "sí"),
        ("telefono", "12"),
        ("correo", "no-es-correo"),
        ("nombre", 5),
        ("notas", "x" * 5001),
    ],
)
def test_each_type_refuses_what_it_is_not(key: str, value: object) -> None:
    _, errors = validate(FIELDS, {key: value}, require=False)
    assert errors.get(key)


def test_required_fields_are_named_only_when_required() -> None:
    _, draft_errors = validate(FIELDS, {}, require=False)
    assert draft_errors == {}
    _, errors = validate(FIELDS, {}, require=True)
    assert set(errors) == {"nombre", "motivo", "acepta"}
    missing = missing_required(FIELDS, {"nombre": "  ", "acepta": False})
    assert [f.key for f in missing] == ["motivo", "acepta"] or [f.key for f in missing] == [
        "nombre",
        "motivo",
        "acepta",
    ]


def test_definitions_are_checked() -> None:
    assert check_definition(FIELDS) == {}
    bad = check_definition(
        [
            FieldSpec("Mal clave", "x", "text"),
            FieldSpec("a", "A", "text"),
            FieldSpec("a", "B", "text"),
            FieldSpec("s", "S", "select"),
            FieldSpec("t", "T", "color"),
            FieldSpec("u", " ", "text"),
        ]
    )
    assert {k: p.code for k, p in bad.items()} == {
        "0.key": "key_format",
        "2.key": "key_repeated",
        "3.options": "options_required",
        "4.type": "unknown_type",
        "5.label": "required",
    }
    digit = check_definition(
        [FieldSpec("1er", "Primero", "text"), FieldSpec("x" * 65, "X", "text")]
    )
    assert set(digit) == {"0.key", "1.key"}
