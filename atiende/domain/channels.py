"""Rules of a WhatsApp channel as an administrator writes it, and what a connection test's
answer from the Graph API means (no I/O)."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers

from atiende.domain.forms import FieldProblem

NAME_MAX = 120
ID_MAX = 64
SECRET_MAX = 1000
URL_MAX = 200
# Meta's ids (phone number, WABA) are decimal numbers written as strings.
_META_ID = re.compile(r"[0-9]{5,64}")
_VERSION = re.compile(r"v[0-9]{1,3}\.[0-9]{1,3}")
REQUIRED = FieldProblem("required", "Campo obligatorio.")


def name_problem(name: str) -> FieldProblem | None:
    if not name.strip():
        return REQUIRED
    if len(name.strip()) > NAME_MAX:
        return FieldProblem("too_long", "Demasiado largo.", {"max": NAME_MAX})
    return None


def meta_id_problem(value: str, *, required: bool = True) -> FieldProblem | None:
    """A phone number id or a WABA id: digits only, as Meta shows them."""
    if not value.strip():
        return REQUIRED if required else None
    if _META_ID.fullmatch(value.strip()) is None:
        return FieldProblem(
            "meta_id_format", "Solo dígitos, como lo muestra Meta (p. ej. 106540352242922)."
        )
    return None


def display_number(raw: str) -> str | None:
    """The number customers see, as Meta's webhooks write it (international digits, no plus),
    or None when it is not a possible phone number with its country code."""
    text = raw.strip()
    digits = text.lstrip("+")
    if not digits or not set(digits) <= set("0123456789 -.()"):
        return None
    try:
        number = phonenumbers.parse(f"+{digits}", None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def display_number_problem(raw: str) -> FieldProblem | None:
    if not raw.strip():
        return REQUIRED
    if display_number(raw) is None:
        return FieldProblem(
            "display_number_format",
            "Número con código de país (p. ej. +51 987 654 321).",
        )
    return None


def same_number(a: str, b: str) -> bool:
    """Two writings of one number: Meta's "+1 555-555-5555" and the stored "15555555555"."""
    return _digits(a) == _digits(b) and _digits(a) != ""


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def secret_problem(value: str) -> FieldProblem | None:
    if not value.strip():
        return REQUIRED
    if len(value.strip()) > SECRET_MAX:
        return FieldProblem("too_long", "Demasiado largo.", {"max": SECRET_MAX})
    if any(c.isspace() for c in value.strip()):
        return FieldProblem("secret_spaces", "No puede tener espacios.")
    return None


def graph_url_problem(url: str) -> FieldProblem | None:
    if not url.strip():
        return REQUIRED
    if len(url.strip()) > URL_MAX:
        return FieldProblem("too_long", "Demasiado largo.", {"max": URL_MAX})
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        return FieldProblem(
            "url_format", "Una dirección http(s), p. ej. https://graph.facebook.com."
        )
    return None


def graph_version_problem(version: str) -> FieldProblem | None:
    if _VERSION.fullmatch(version.strip()) is None:
        return FieldProblem("graph_version_format", "Una versión como v23.0.")
    return None


# What a connection test found, by what the administrator has to do about it.
ConnectionProblem = str
UNREACHABLE: ConnectionProblem = "unreachable"
TIMEOUT: ConnectionProblem = "timeout"
INVALID_TOKEN: ConnectionProblem = "invalid_token"
PERMISSION: ConnectionProblem = "permission"
UNKNOWN_NUMBER: ConnectionProblem = "unknown_number"
DISPLAY_MISMATCH: ConnectionProblem = "display_mismatch"
# Graph answered something else (a 5xx, a code not above): its own words are shown.
GRAPH_ERROR: ConnectionProblem = "graph_error"

# Meta's codes: 190 an invalid or expired token (subcodes 463, 467 say which); 10 and 200
# (also 200-299) a permission the app or token lacks; 100 a parameter Graph refused, which
# for a `GET /{phone-number-id}` means an id it does not know or the token cannot see.
_PERMISSION_CODES = frozenset({10, *range(200, 300)})


def problem_of(http_status: int, code: int | None) -> ConnectionProblem:
    """The problem a Graph refusal names."""
    if code == 190 or (code is None and http_status == 401):
        return INVALID_TOKEN
    if code in _PERMISSION_CODES or (code is None and http_status == 403):
        return PERMISSION
    if code in (100, 803):
        return UNKNOWN_NUMBER
    return GRAPH_ERROR


@dataclass(frozen=True)
class ConnectionOutcome:
    """A connection test's verdict: `problem` None when all is well. `detail` says it in
    Spanish for whoever reads the API; the client words it from `problem` and the fields."""

    problem: ConnectionProblem | None
    detail: str
    meta_code: int | None = None
    meta_message: str | None = None
    verified_name: str | None = None
    display_phone_number: str | None = None
    quality_rating: str | None = None
    code_verification_status: str | None = None


_DETAILS = {
    UNREACHABLE: "No se pudo conectar con {url}: revise la URL base de Graph.",
    TIMEOUT: "{url} no respondió a tiempo.",
    INVALID_TOKEN: "El token de acceso no es válido o expiró: genere uno nuevo en Meta.",
    PERMISSION: "El token no tiene permiso sobre este número (whatsapp_business_messaging y"
    " whatsapp_business_management).",
    UNKNOWN_NUMBER: "Meta no conoce el phone number id {phone_number_id}, o el token no tiene"
    " acceso a él.",
    DISPLAY_MISMATCH: "Meta dice que el número es {remote}, pero el canal tiene +{stored}.",
    GRAPH_ERROR: "La API de Graph respondió con un error: {meta}",
}
OK_DETAIL = "Conexión correcta: {verified_name}, calidad {quality}."


def detail_of(problem: ConnectionProblem, **params: str) -> str:
    return _DETAILS[problem].format(**params)
