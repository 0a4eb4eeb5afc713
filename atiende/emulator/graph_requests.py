"""Reading a `POST /{phone_number_id}/messages` body the way Graph does, errors included."""

import re
from dataclasses import dataclass
from typing import Any

from atiende.emulator.payloads import (
    CAPTION_MAX,
    JSON,
    MEDIA_KINDS,
    TEXT_BODY_MAX,
    MediaKind,
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
    """A text to send. `to` is the phone as digits; `to_input` what the caller wrote;
    `reply_to` the wamid in `context.message_id`."""

    to: str | None
    to_input: str | None
    recipient: str | None
    body: str
    preview_url: bool
    callback_data: str | None
    reply_to: str | None = None


@dataclass(frozen=True)
class SendMedia:
    """An image, audio, video, document or sticker, by uploaded `media_id` or by `link`."""

    to: str | None
    to_input: str | None
    recipient: str | None
    kind: MediaKind
    media_id: str | None
    link: str | None
    caption: str | None
    filename: str | None
    callback_data: str | None
    reply_to: str | None = None


@dataclass(frozen=True)
class SendTemplate:
    """An approved template by name and language, with its body parameters. Meta allows it
    outside the 24-hour window; the emulator takes any name (it keeps no approval list)."""

    to: str | None
    to_input: str | None
    recipient: str | None
    name: str
    language: str
    params: tuple[str, ...]
    callback_data: str | None
    reply_to: str | None = None


Send = SendText | SendMedia | SendTemplate


@dataclass(frozen=True)
class MarkRead:
    message_id: str
    typing: bool


def bad(payload: JSON) -> GraphError:
    return GraphError(400, payload)


def parse_request(body: Any) -> Send | MarkRead:
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
    return _send(body)


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


def _send(body: dict[str, Any]) -> Send:
    if body.get("recipient_type", "individual") != "individual":
        raise bad(invalid_parameter_error("The emulator sends to individual users only."))
    to_input, recipient = body.get("to"), body.get("recipient")
    if to_input is None and recipient is None:
        raise bad(required_parameter_error("to"))
    to = _phone(to_input) if to_input is not None else None
    if recipient is not None and (not isinstance(recipient, str) or not _BSUID.match(recipient)):
        raise bad(invalid_parameter_error("recipient is not a valid business-scoped user ID."))
    kind = body.get("type", "text")
    callback_data = _callback_data(body.get("biz_opaque_callback_data"))
    reply_to = _reply_to(body.get("context"))
    if kind == "text":
        return SendText(
            to=to,
            to_input=to_input,
            recipient=recipient,
            body=_text_body(body.get("text")),
            preview_url=bool(_text_field(body.get("text"), "preview_url", bool, False)),
            callback_data=callback_data,
            reply_to=reply_to,
        )
    if kind == "template":
        name, language, params = _template(body.get("template"))
        return SendTemplate(
            to, to_input, recipient, name, language, params, callback_data, reply_to
        )
    if kind in MEDIA_KINDS:
        media = body.get(kind)
        if not isinstance(media, dict):
            raise bad(required_parameter_error(kind))
        media_id, link = media.get("id"), media.get("link")
        if (media_id is None) == (link is None):
            raise bad(invalid_parameter_error(f"{kind} needs exactly one of 'id' and 'link'."))
        if media_id is not None and (not isinstance(media_id, str) or not media_id.isdigit()):
            raise bad(invalid_parameter_error(f"{kind}['id'] is not a valid media id."))
        if link is not None and (
            not isinstance(link, str) or not link.startswith(("http://", "https://"))
        ):
            raise bad(invalid_parameter_error(f"{kind}['link'] is not a valid URL."))
        return SendMedia(
            to=to,
            to_input=to_input,
            recipient=recipient,
            kind=kind,
            media_id=media_id,
            link=link,
            caption=_caption(kind, media.get("caption")),
            filename=_filename(kind, media.get("filename")),
            callback_data=callback_data,
            reply_to=reply_to,
        )
    raise bad(
        invalid_parameter_error(f"The emulator sends text and media messages only, not '{kind}'.")
    )


def _caption(kind: str, value: Any) -> str | None:
    if value is None:
        return None
    if kind not in ("image", "video", "document"):
        raise bad(invalid_parameter_error(f"A caption cannot go with {kind} messages."))
    if not isinstance(value, str):
        raise bad(invalid_parameter_error(f"{kind}['caption'] must be a string."))
    if len(value) > CAPTION_MAX:
        message = f"(#100) Param {kind}['caption'] must be at most {CAPTION_MAX} characters long."
        raise bad(graph_error(message, code=100))
    return value or None


def _filename(kind: str, value: Any) -> str | None:
    if value is None:
        return None
    if kind != "document":
        raise bad(invalid_parameter_error(f"A filename cannot go with {kind} messages."))
    if not isinstance(value, str) or "/" in value:
        raise bad(invalid_parameter_error("document['filename'] must be a plain file name."))
    return value or None


def _reply_to(context: Any) -> str | None:
    if context is None:
        return None
    message_id = context.get("message_id") if isinstance(context, dict) else None
    if not isinstance(message_id, str) or not message_id:
        raise bad(invalid_parameter_error("context['message_id'] must be a message id."))
    return message_id


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


def _template(value: Any) -> tuple[str, str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise bad(required_parameter_error("template"))
    name, language = value.get("name"), value.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    if not isinstance(name, str) or not name:
        raise bad(required_parameter_error("template.name"))
    if not isinstance(code, str) or not code:
        raise bad(required_parameter_error("template.language.code"))
    params: list[str] = []
    components = value.get("components", [])
    if not isinstance(components, list):
        raise bad(invalid_parameter_error("template.components must be a list."))
    for component in components:
        if not isinstance(component, dict) or component.get("type") != "body":
            continue
        for parameter in component.get("parameters", []):
            if not isinstance(parameter, dict) or not isinstance(parameter.get("text"), str):
                raise bad(invalid_parameter_error("Body parameters must be text."))
            params.append(parameter["text"])
    return name, code, tuple(params)
