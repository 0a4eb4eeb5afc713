"""A contact's values: phones to E.164 in the customer's region, email checked, changes."""

from atiende.domain.contacts import ContactData, changes, check_contact, normalize_phone, region_of
from atiende.domain.forms import FieldSpec


def test_phones_are_normalized_to_e164_in_the_customers_region() -> None:
    assert region_of("51987654321") == "PE" and region_of(None) is None
    for written in ("987654321", "987 654 321", "+51 987 654 321", "51987654321"):
        assert normalize_phone(written, "PE") == "+51987654321", written
    assert normalize_phone("+51 987 654 321", None) == "+51987654321"
    assert normalize_phone("12", "PE") is None
    assert normalize_phone("not a phone", None) is None


def test_a_contact_is_checked_field_by_field() -> None:
    fields = [FieldSpec("ruc", "RUC", "number", required=True)]
    data = ContactData(
        name=" Ana ",
        phones=["987654321", "+51987654321", " "],
        email="ana@EXAMPLE.com",
        document_id=" 123 ",
        notes="",
        custom={"ruc": "20.5", "unknown": 1},
    )
    clean, problems = check_contact(data, fields, "PE")
    assert problems == {}
    assert clean == ContactData(
        name="Ana",
        phones=["+51987654321"],
        email="ana@example.com",
        document_id="123",
        notes=None,
        custom={"ruc": 20.5},
    )
    _, problems = check_contact(
        ContactData(name="", phones=["1"] * 6, email="x@", custom={}), fields, None
    )
    assert {k: p.code for k, p in problems.items()} == {
        "name": "required",
        "phones": "too_many",
        "email": "invalid_email",
        "custom.ruc": "required",
    }


def test_changes_name_each_field_from_and_to() -> None:
    before = ContactData(name="Ana", custom={"ruc": 1}).as_dict()
    after = ContactData(name="Ana R.", phones=["+51987654321"], custom={"ruc": 1}).as_dict()
    assert changes(before, after) == {
        "name": {"from": "Ana", "to": "Ana R."},
        "phones": {"from": [], "to": ["+51987654321"]},
    }
    assert changes(after, after) == {}
