"""Reading a `POST /{phone_number_id}/messages` body the way Graph does, errors included."""

import re
from dataclasses import dataclass
from typing import Any

from atiende.emulator.payloads import (
    JSON,
    TEXT_BODY_MAX,
    graph_error,
    invalid_parameter_error,
    required_parameter_error,
)

_BSUID = re.compile(r"^[A-Z]{2}(\.ENT)?\.[A-Za-z0-9]+$")
_PHONE_NOISE = re.compile(r"[\s+\-().]")
CALLBACK_DATA_MAX = 512


class GraphError(Exception):
    def __init__(self, status_code: int, payload: JSON) -> None:
        super().__init__(payload["error"]["message"])
        self.status_code = status_code
        self.payload = payload


@dataclass(frozen=True)
class SendText:
    """A text to send. `to` is the phone as digits; `to_input` what the caller wrote."""

    to: str | None
    to_input: str | None
    recipient: str | None
    body: str
    preview_url: bool
    callback_data: str | None


@dataclass(frozen=True)
class MarkRead:
    message_id: str
    typing: bool


def bad(payload: JSON) -> GraphError:
    return GraphError(400, payload)


def parse_request(body: Any) -> SendText | MarkRead:
    if not isinstance(body, dict):
        raise bad(invalid_parameter_error("The request body must be a JSON object."))
    product = body.get("messaging_product")
    if product is None:
        raise bad(required_parameter_error("messaging_product"))
    if product != "whatsapp":
        message = f'(#100) Param messaging_product must be one of {{WHATSAPP}} - got "{product}".'
        raise bad(graph_error(message, code=100))
    if "status" in body:
        return _mark_read(body)
    return _send_text(body)


def _mark_read(body: dict[str, Any]) -> MarkRead:
    if body["status"] != "read":
        raise bad(invalid_parameter_error("status must be 'read'."))
    message_id = body.get("message_id")
    if not isinstance(message_id, str) or not message_id:
        raise bad(required_parameter_error("message_id"))
    indicator = body.get("typing_indicator")
    if indicator is not None and indicator != {"type": "text"}:
        raise bad(invalid_parameter_error("typing_indicator.type must be 'text'."))
    return MarkRead(message_id, typing=indicator is not None)


def _send_text(body: dict[str, Any]) -> SendText:
    if body.get("recipient_type", "individual") != "individual":
        raise bad(invalid_parameter_error("The emulator sends to individual users only."))
    to_input, recipient = body.get("to"), body.get("recipient")
    if to_input is None and recipient is None:
        raise bad(required_parameter_error("to"))
    to = _phone(to_input) if to_input is not None else None
    if recipient is not None and (not isinstance(recipient, str) or not _BSUID.match(recipient)):
        raise bad(invalid_parameter_error("recipient is not a valid business-scoped user ID."))
    kind = body.get("type", "text")
    if kind != "text":
        raise bad(invalid_parameter_error(f"The emulator sends text messages only, not '{kind}'."))
    return SendText(
        to=to,
        to_input=to_input,
        recipient=recipient,
        body=_text_body(body.get("text")),
        preview_url=bool(_text_field(body.get("text"), "preview_url", bool, False)),
        callback_data=_callback_data(body.get("biz_opaque_callback_data")),
    )


def _phone(value: Any) -> str:
    digits = _PHONE_NOISE.sub("", value) if isinstance(value, str) else ""
    if not digits.isdigit() or not 6 <= len(digits) <= 15:
        raise bad(invalid_parameter_error(f"'{value}' is not a valid phone number."))
    return digits


def _text_body(text: Any) -> str:
    if not isinstance(text, dict):
        raise bad(required_parameter_error("text"))
    body = text.get("body")
    if not isinstance(body, str) or not body.strip():
        raise bad(required_parameter_error("text['body']"))
    if len(body) > TEXT_BODY_MAX:
        message = f"(#100) Param text['body'] must be at most {TEXT_BODY_MAX} characters long."
        raise bad(graph_error(message, code=100))
    return body


def _text_field(text: Any, name: str, kind: type, default: Any) -> Any:
    value = text.get(name, default) if isinstance(text, dict) else default
    if not isinstance(value, kind):
        raise bad(invalid_parameter_error(f"text['{name}'] must be a {kind.__name__}."))
    return value


def _callback_data(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > CALLBACK_DATA_MAX:
        message = "biz_opaque_callback_data must be a string of at most 512 characters."
        raise bad(invalid_parameter_error(message))
    return value
