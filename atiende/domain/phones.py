"""Phone numbers as one form, E.164, so that 987654321, +51 987 654 321 and 51987654321 are
the same customer: a base's numbers are read in its campaign's region, WhatsApp's `wa_id`
is already international (digits without the plus)."""

import phonenumbers

DEFAULT_REGION = "PE"


def is_region(code: str) -> bool:
    return code in phonenumbers.SUPPORTED_REGIONS


def to_e164(raw: str, region: str) -> str | None:
    """`raw` as +<country><number>, read in `region` when it has no country code; None when
    it is not a possible phone number there."""
    text = raw.strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def wa_id_e164(wa_id: str | None) -> str | None:
    """A WhatsApp `wa_id` (international digits, no plus) as E.164."""
    if not wa_id:
        return None
    digits = wa_id.lstrip("+")
    return to_e164(f"+{digits}", DEFAULT_REGION) if digits.isdigit() else None


def search_phone(query: str, region: str) -> str | None:
    """The E.164 form of a search that is a phone number and nothing else (digits, spaces,
    dashes, dots, parentheses and a leading plus), else None."""
    stripped = query.strip()
    if not stripped or not set(stripped) <= set("+0123456789 -.()"):
        return None
    if sum(c.isdigit() for c in stripped) < 6:
        return None
    return to_e164(stripped, region)
