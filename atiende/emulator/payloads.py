"""Meta Cloud API payloads as plain dicts, shaped like Meta's reference (2026, with BSUIDs).

Pure functions with no I/O, so the app's tests and the load generator can build the same
webhooks the emulator sends.
"""

import base64
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import phonenumbers

from atiende.emulator.config import Customer, EmulatorConfig

JSON = dict[str, Any]
StatusName = Literal["sent", "delivered", "read", "failed"]
LiveStatus = Literal["sent", "delivered", "read"]
MediaKind = Literal["image", "audio", "video", "document", "sticker"]
MEDIA_KINDS: Final = ("image", "audio", "video", "document", "sticker")

ERROR_CODES_HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
TEXT_BODY_MAX = 4096
CAPTION_MAX = 1024
_NO_BODY: Final = object()
_CONTEXT_FIRST: Final = ("interactive", "button")

# Under per-message pricing a reply inside the customer-service window is free; Meta still
# reports the pricing object, and has dropped the conversation object for such messages.
SERVICE_PRICING: JSON = {
    "billable": False,
    "pricing_model": "PMP",
    "category": "service",
    "type": "free_customer_service",
}


@dataclass(frozen=True)
class BusinessNumber:
    waba_id: str
    phone_number_id: str
    display_phone_number: str

    @classmethod
    def of(cls, config: EmulatorConfig) -> "BusinessNumber":
        return cls(config.waba_id, config.phone_number_id, config.display_phone_number)


def new_wamid(identity: str) -> str:
    """A message id in Meta's style: `wamid.` and base64 of a blob holding the user's id.

    Apps must treat it as opaque; it only has to look real and never repeat.
    """
    nonce = secrets.token_hex(10).upper().encode()
    blob = b"\x18" + bytes([len(identity)]) + identity.encode() + b"\x15\x02\x00\x12\x18\x14"
    return "wamid." + base64.b64encode(blob + nonce + b"\x00").decode()


def unix(timestamp: float) -> str:
    return str(int(timestamp))


# --- webhooks -------------------------------------------------------------------------------


def messages_webhook(business: BusinessNumber, value: JSON) -> JSON:
    """The envelope every `messages` field webhook shares."""
    metadata = {
        "display_phone_number": business.display_phone_number,
        "phone_number_id": business.phone_number_id,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": business.waba_id,
                "changes": [
                    {
                        "value": {"messaging_product": "whatsapp", "metadata": metadata, **value},
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def inbound_contact(customer: Customer) -> JSON:
    profile: JSON = {"name": customer.name}
    if customer.username is not None:
        profile["username"] = customer.username
    contact: JSON = {"profile": profile}
    if customer.phone is not None:
        contact["wa_id"] = customer.phone
    contact["user_id"] = customer.bsuid
    return contact


def inbound_message(
    customer: Customer,
    message_id: str,
    timestamp: float,
    kind: str,
    body: Any = _NO_BODY,
    *,
    context: JSON | None = None,
) -> JSON:
    """One entry of `value.messages`: who (phone only when shared, BSUID always), id, time,
    type, then the body under the type's name and the reply/forward context if any."""
    message: JSON = {}
    if customer.phone is not None:
        message["from"] = customer.phone
    message["from_user_id"] = customer.bsuid
    message.update(id=message_id, timestamp=unix(timestamp), type=kind)
    # Meta writes the context first on answers to its own buttons, last elsewhere.
    if context is not None and kind in _CONTEXT_FIRST:
        message["context"] = context
    if body is not _NO_BODY:
        message[kind] = body
    if context is not None and kind not in _CONTEXT_FIRST:
        message["context"] = context
    return message


def reply_context(quoted_from: str, quoted_id: str) -> JSON:
    """A reply quotes a message: `from` is whoever wrote it (the business's number for a
    business message), `id` its wamid."""
    return {"from": quoted_from, "id": quoted_id}


def forwarded_context(*, frequently: bool = False) -> JSON:
    return {"frequently_forwarded": True} if frequently else {"forwarded": True}


def text_message(
    customer: Customer,
    message_id: str,
    body: str,
    timestamp: float,
    *,
    context: JSON | None = None,
) -> JSON:
    return inbound_message(customer, message_id, timestamp, "text", {"body": body}, context=context)


def media_body(
    kind: MediaKind,
    *,
    media_id: str,
    mime_type: str,
    sha256: str,
    caption: str | None = None,
    filename: str | None = None,
    voice: bool = False,
    animated: bool = False,
) -> JSON:
    """What Meta puts under `image`, `audio`, `video`, `document` or `sticker`.

    A caption goes with images, videos and documents, a file name with documents; `voice`
    marks a recorded voice note (only then is it present), `animated` is always on stickers.
    """
    body: JSON = {}
    if caption and kind in ("image", "video", "document"):
        body["caption"] = caption
    if filename and kind == "document":
        body["filename"] = filename
    body.update(mime_type=mime_type, sha256=sha256, id=media_id)
    if kind == "audio" and voice:
        body["voice"] = True
    if kind == "sticker":
        body["animated"] = animated
    return body


def media_message(
    customer: Customer,
    message_id: str,
    timestamp: float,
    kind: MediaKind,
    body: JSON,
    *,
    context: JSON | None = None,
) -> JSON:
    return inbound_message(customer, message_id, timestamp, kind, body, context=context)


def location_message(
    customer: Customer,
    message_id: str,
    timestamp: float,
    *,
    latitude: float,
    longitude: float,
    name: str | None = None,
    address: str | None = None,
    url: str | None = None,
    context: JSON | None = None,
) -> JSON:
    body: JSON = {}
    if address:
        body["address"] = address
    body.update(latitude=latitude, longitude=longitude)
    if name:
        body["name"] = name
    if url:
        body["url"] = url
    return inbound_message(customer, message_id, timestamp, "location", body, context=context)


def shared_contact(
    formatted_name: str,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    phones: Sequence[tuple[str, str, str | None]] = (),
    emails: Sequence[tuple[str, str]] = (),
) -> JSON:
    """One card of a `contacts` message; phones as (phone, type, wa_id or None), emails as
    (email, type)."""
    name: JSON = {"formatted_name": formatted_name}
    if first_name:
        name["first_name"] = first_name
    if last_name:
        name["last_name"] = last_name
    card: JSON = {"name": name}
    if phones:
        card["phones"] = [
            {"phone": phone, "type": kind} | ({"wa_id": wa_id} if wa_id else {})
            for phone, kind, wa_id in phones
        ]
    if emails:
        card["emails"] = [{"email": email, "type": kind} for email, kind in emails]
    return card


def contacts_message(
    customer: Customer,
    message_id: str,
    timestamp: float,
    cards: list[JSON],
    *,
    context: JSON | None = None,
) -> JSON:
    return inbound_message(customer, message_id, timestamp, "contacts", cards, context=context)


def reaction_message(
    customer: Customer, message_id: str, timestamp: float, target_id: str, emoji: str | None
) -> JSON:
    """A reaction to `target_id`; without an emoji it takes a reaction away."""
    body: JSON = {"message_id": target_id}
    if emoji:
        body["emoji"] = emoji
    return inbound_message(customer, message_id, timestamp, "reaction", body)


def edit_message(
    customer: Customer, message_id: str, timestamp: float, original_id: str, new_body: str
) -> JSON:
    inner = {"type": "text", "text": {"body": new_body}}
    body = {"original_message_id": original_id, "message": inner}
    return inbound_message(customer, message_id, timestamp, "edit", body)


def revoke_message(customer: Customer, message_id: str, timestamp: float, original_id: str) -> JSON:
    body = {"original_message_id": original_id}
    return inbound_message(customer, message_id, timestamp, "revoke", body)


def request_welcome_message(customer: Customer, message_id: str, timestamp: float) -> JSON:
    """The customer opened the chat for the first time; no content."""
    return inbound_message(customer, message_id, timestamp, "request_welcome")


def button_reply_message(
    customer: Customer,
    message_id: str,
    timestamp: float,
    *,
    reply_id: str,
    title: str,
    context: JSON | None = None,
) -> JSON:
    body = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
    return inbound_message(customer, message_id, timestamp, "interactive", body, context=context)


def list_reply_message(
    customer: Customer,
    message_id: str,
    timestamp: float,
    *,
    reply_id: str,
    title: str,
    description: str | None = None,
    context: JSON | None = None,
) -> JSON:
    reply: JSON = {"id": reply_id, "title": title}
    if description:
        reply["description"] = description
    body = {"type": "list_reply", "list_reply": reply}
    return inbound_message(customer, message_id, timestamp, "interactive", body, context=context)


def template_button_message(
    customer: Customer,
    message_id: str,
    timestamp: float,
    *,
    payload: str,
    text: str,
    context: JSON | None = None,
) -> JSON:
    """A quick-reply button of a template was tapped."""
    body = {"payload": payload, "text": text}
    return inbound_message(customer, message_id, timestamp, "button", body, context=context)


def unsupported_message(customer: Customer, message_id: str, timestamp: float, kind: str) -> JSON:
    """A message the Cloud API cannot pass on (a poll, a view-once photo…)."""
    message = inbound_message(customer, message_id, timestamp, "unsupported", {"type": kind})
    message["errors"] = [
        {
            "code": 131051,
            "title": "Message type unknown",
            "message": "Message type unknown",
            "error_data": {"details": "Message type is currently not supported."},
        }
    ]
    return message


def number_changed_message(
    customer: Customer, message_id: str, timestamp: float, new_phone: str, new_bsuid: str
) -> JSON:
    """`system` / `user_changed_number`, sent as the customer was before the change; its
    webhook carries no `contacts`. A new number also gives the customer a new BSUID, so Meta
    reports the new one with the previous (changelog, Aug 2026)."""
    old = customer.phone or ""
    body = {
        "body": f"{customer.name} changed from {old} to {new_phone}",
        "wa_id": new_phone,
        "type": "user_changed_number",
        "customer": old,
        "user_id": new_bsuid,
        "previous_user_id": customer.bsuid,
    }
    return inbound_message(customer, message_id, timestamp, "system", body)


def user_id_changed_message(
    customer: Customer, message_id: str, timestamp: float, new_bsuid: str
) -> JSON:
    """`system` / `user_changed_user_id`: only the BSUID changed, no new number to tell."""
    body = {
        "body": f"{customer.name}'s user ID changed",
        "type": "user_changed_user_id",
        "user_id": new_bsuid,
        "previous_user_id": customer.bsuid,
    }
    return inbound_message(customer, message_id, timestamp, "system", body)


def next_bsuid(bsuid: str) -> str:
    """A fresh BSUID in the same country: Meta's `CC.` prefix and up to 128 alphanumerics."""
    country = bsuid.split(".", 1)[0] if "." in bsuid else "US"
    return f"{country}.{secrets.randbelow(10**20):020d}"


def inbound_webhook(
    business: BusinessNumber, customer: Customer, *messages: JSON, contacts: bool = True
) -> JSON:
    """Customer messages as Meta sends them; `contacts=False` for `system` messages."""
    value: JSON = {}
    if contacts:
        value["contacts"] = [inbound_contact(customer)]
    value["messages"] = list(messages)
    return messages_webhook(business, value)


def inbound_text_webhook(
    business: BusinessNumber, customer: Customer, message_id: str, body: str, timestamp: float
) -> JSON:
    return inbound_webhook(business, customer, text_message(customer, message_id, body, timestamp))


def status_contact(customer: Customer, status: StatusName) -> JSON:
    # The username rides on delivered and read only; `sent` happens before the user's device
    # is involved.
    contact: JSON = {}
    if customer.username is not None and status in ("delivered", "read"):
        contact["profile"] = {"username": customer.username}
    if customer.phone is not None:
        contact["wa_id"] = customer.phone
    contact["user_id"] = customer.bsuid
    return contact


def status_item(
    message_id: str,
    status: StatusName,
    timestamp: float,
    *,
    recipient_id: str | None,
    recipient_user_id: str | None,
    pricing: JSON | None = None,
    errors: list[JSON] | None = None,
    callback_data: str | None = None,
) -> JSON:
    item: JSON = {"id": message_id, "status": status, "timestamp": unix(timestamp)}
    if recipient_id is not None:
        item["recipient_id"] = recipient_id
    if recipient_user_id is not None:
        item["recipient_user_id"] = recipient_user_id
    if callback_data is not None:
        item["biz_opaque_callback_data"] = callback_data
    if pricing is not None:
        item["pricing"] = pricing
    if errors is not None:
        item["errors"] = errors
    return item


def status_webhook(
    business: BusinessNumber,
    customer: Customer,
    message_id: str,
    status: LiveStatus,
    timestamp: float,
    *,
    callback_data: str | None = None,
) -> JSON:
    """A sent, delivered or read status for a message that reached a known customer.

    The phone (`recipient_id`, `wa_id`) appears only when the customer shares it; the BSUID
    always does.
    """
    item = status_item(
        message_id,
        status,
        timestamp,
        recipient_id=customer.phone,
        recipient_user_id=customer.bsuid,
        pricing=dict(SERVICE_PRICING) if status in ("sent", "delivered") else None,
        callback_data=callback_data,
    )
    return messages_webhook(
        business, {"contacts": [status_contact(customer, status)], "statuses": [item]}
    )


def failed_status_webhook(
    business: BusinessNumber,
    message_id: str,
    timestamp: float,
    error: JSON,
    *,
    to: str | None,
    recipient: str | None,
    callback_data: str | None = None,
) -> JSON:
    """A failed status: no `contacts`, and the recipient named only as the request named him.

    `to` wins when the request carried both, as it does when sending.
    """
    item = status_item(
        message_id,
        "failed",
        timestamp,
        recipient_id=to,
        recipient_user_id=recipient if to is None else None,
        errors=[error],
        callback_data=callback_data,
    )
    return messages_webhook(business, {"statuses": [item]})


def status_error(code: int, title: str, details: str) -> JSON:
    return {
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": details},
        "href": ERROR_CODES_HREF,
    }


def undeliverable_error() -> JSON:
    return status_error(131026, "Message undeliverable", "Message Undeliverable.")


def reengagement_error() -> JSON:
    return status_error(
        131047,
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    )


# --- Graph API responses --------------------------------------------------------------------


def send_response(
    input_value: str, message_id: str, *, wa_id: str | None = None, user_id: str | None = None
) -> JSON:
    """The answer to a send: `wa_id` for a send by phone, `user_id` for a send by BSUID."""
    contact: JSON = {"input": input_value}
    if wa_id is not None:
        contact["wa_id"] = wa_id
    if user_id is not None:
        contact["user_id"] = user_id
    return {
        "messaging_product": "whatsapp",
        "contacts": [contact],
        "messages": [{"id": message_id}],
    }


def read_response() -> JSON:
    return {"success": True}


def fbtrace_id() -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "A" + "".join(secrets.choice(alphabet) for _ in range(22))


def graph_error(
    message: str,
    *,
    code: int,
    error_type: str = "OAuthException",
    subcode: int | None = None,
    details: str | None = None,
) -> JSON:
    error: JSON = {"message": message, "type": error_type, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    error["fbtrace_id"] = fbtrace_id()
    return {"error": error}


def invalid_token_error() -> JSON:
    return graph_error("Invalid OAuth access token - Cannot parse access token", code=190)


def unknown_object_error(object_id: str, method: str = "post") -> JSON:
    return graph_error(
        f"Unsupported {method} request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation. Please read "
        "the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        code=100,
        error_type="GraphMethodException",
        subcode=33,
    )


def invalid_parameter_error(details: str) -> JSON:
    return graph_error("(#100) Invalid parameter", code=100, details=details)


def required_parameter_error(name: str) -> JSON:
    return graph_error(f"(#100) The parameter {name} is required.", code=100)


def nonexisting_field_error(name: str, node: str) -> JSON:
    return graph_error(
        f"(#100) Tried accessing nonexisting field ({name}) on node type ({node})", code=100
    )


PHONE_NUMBER_NODE = "WhatsAppBusinessPhoneNumber"
# What Graph answers of a phone number when the request names no `fields`.
PHONE_NUMBER_DEFAULT_FIELDS = (
    "verified_name",
    "code_verification_status",
    "display_phone_number",
    "quality_rating",
    "platform_type",
    "throughput",
    "id",
)
PHONE_NUMBER_FIELDS = frozenset(
    {
        *PHONE_NUMBER_DEFAULT_FIELDS,
        "name_status",
        "account_mode",
        "is_official_business_account",
        "messaging_limit_tier",
    }
)


def formatted_display_number(digits: str) -> str:
    """The number as Graph's phone number node writes it ("+1 555-555-5555"), where webhooks
    write bare digits."""
    try:
        number = phonenumbers.parse(f"+{digits.lstrip('+')}", None)
    except phonenumbers.NumberParseException:
        return f"+{digits.lstrip('+')}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_number_node(
    business: BusinessNumber,
    fields: list[str] | None,
    *,
    verified_name: str,
    quality_rating: str,
    code_verification_status: str,
) -> JSON:
    """`GET /{phone-number-id}`: the fields asked for (the default ones when none; each one
    of PHONE_NUMBER_FIELDS), with `id` last as Graph puts it."""
    known: JSON = {
        "verified_name": verified_name,
        "code_verification_status": code_verification_status,
        "display_phone_number": formatted_display_number(business.display_phone_number),
        "quality_rating": quality_rating,
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
        "name_status": "APPROVED",
        "account_mode": "LIVE",
        "is_official_business_account": False,
        "messaging_limit_tier": "TIER_1K",
        "id": business.phone_number_id,
    }
    wanted = list(PHONE_NUMBER_DEFAULT_FIELDS) if not fields else fields
    answer = {name: known[name] for name in wanted if name != "id"}
    answer["id"] = business.phone_number_id
    return answer
