"""What an inbound WhatsApp message says, by type, in the shape the agent panel shows.

Every type Meta sends is understood or kept as "unsupported" with its raw type; none is
dropped. Reactions, edits and deletions change another message and say which.
"""

from dataclasses import dataclass, field
from typing import Any

MEDIA = ("image", "video", "audio", "document", "sticker")


@dataclass
class Content:
    type: str
    text: str | None
    content: dict[str, Any]
    reply_to_wamid: str | None = None
    forwarded: bool = False
    # Set when this message changes another one instead of standing on its own.
    target_wamid: str | None = None
    reaction: str | None = None
    edit: "Content | None" = None
    revoke: bool = False
    system: dict[str, Any] = field(default_factory=dict)

    @property
    def changes_another(self) -> bool:
        return self.target_wamid is not None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def extract(message: dict[str, Any]) -> Content:
    kind = _str(message.get("type")) or "unknown"
    context = _obj(message.get("context"))
    result = _by_type(kind, message)
    result.reply_to_wamid = _str(context.get("id")) if not context.get("forwarded") else None
    result.forwarded = bool(context.get("forwarded") or context.get("frequently_forwarded"))
    return result


def _by_type(kind: str, message: dict[str, Any]) -> Content:
    body = _obj(message.get(kind))
    if kind == "text":
        text = _str(body.get("body"))
        return Content("text", text, {"body": text})
    if kind in MEDIA:
        return _media(kind, body)
    if kind == "location":
        return Content(
            "location",
            _str(body.get("name")),
            {k: body[k] for k in ("latitude", "longitude", "name", "address", "url") if k in body},
        )
    if kind == "contacts":
        return Content(
            "contacts", None, {"contacts": [_contact(c) for c in _list(message.get("contacts"))]}
        )
    if kind == "interactive":
        return _interactive(body)
    if kind == "button":
        text = _str(body.get("text"))
        return Content("button", text, {"text": text, "payload": _str(body.get("payload"))})
    if kind == "reaction":
        emoji = _str(body.get("emoji"))
        return Content(
            "reaction",
            emoji,
            {"emoji": emoji},
            target_wamid=_str(body.get("message_id")),
            reaction=emoji or "",
        )
    if kind == "edit":
        return _edited(body)
    if kind == "revoke":
        return Content(
            "revoke", None, {}, target_wamid=_str(body.get("original_message_id")), revoke=True
        )
    if kind == "unsupported":
        return _unsupported(message, body)
    if kind == "request_welcome":
        return Content("request_welcome", None, {})
    if kind == "system":
        return Content(
            "system",
            _str(body.get("body")),
            {
                "kind": _str(body.get("type")),
                "body": _str(body.get("body")),
            },
            system=body,
        )
    return Content(kind, None, {"raw_type": kind})


def _media(kind: str, body: dict[str, Any]) -> Content:
    content: dict[str, Any] = {
        "media_id": _str(body.get("id")),
        "mime_type": _str(body.get("mime_type")),
        "sha256": _str(body.get("sha256")),
        "url": None,
    }
    for key in ("caption", "filename"):
        if _str(body.get(key)):
            content[key] = body[key]
    if kind == "audio":
        content["voice"] = bool(body.get("voice"))
    if kind == "sticker":
        content["animated"] = bool(body.get("animated"))
    return Content(kind, _str(body.get("caption")), content)


def _contact(value: Any) -> dict[str, Any]:
    c = _obj(value)
    name = _obj(c.get("name"))
    return {
        "name": _str(name.get("formatted_name"))
        or " ".join(p for p in (_str(name.get("first_name")), _str(name.get("last_name"))) if p)
        or None,
        "phones": [p["phone"] for p in _list(c.get("phones")) if _str(_obj(p).get("phone"))],
        "emails": [e["email"] for e in _list(c.get("emails")) if _str(_obj(e).get("email"))],
    }


def _interactive(body: dict[str, Any]) -> Content:
    kind = _str(body.get("type")) or "interactive"
    reply = _obj(body.get(kind))
    title = _str(reply.get("title")) or _str(reply.get("body")) or _str(reply.get("name"))
    content = {"kind": kind, "id": _str(reply.get("id")), "title": title}
    if _str(reply.get("description")):
        content["description"] = reply["description"]
    return Content("interactive", title, content)


def _edited(body: dict[str, Any]) -> Content:
    inner = _obj(body.get("message"))
    new = _by_type(_str(inner.get("type")) or "text", inner) if inner else Content("text", None, {})
    return Content(
        "edit", new.text, {}, target_wamid=_str(body.get("original_message_id")), edit=new
    )


def _unsupported(message: dict[str, Any], body: dict[str, Any]) -> Content:
    errors = _list(message.get("errors"))
    first = _obj(errors[0]) if errors else {}
    title = _str(first.get("title")) or _str(first.get("message"))
    details = _str(_obj(first.get("error_data")).get("details"))
    return Content(
        "unsupported",
        None,
        {
            "kind": _str(body.get("type")),
            "error": details or title,
            "code": first.get("code"),
        },
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
