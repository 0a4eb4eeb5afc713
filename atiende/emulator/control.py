"""The emulator's own JSON API, used by the phone page and by tests, and the page itself."""

import asyncio
import contextlib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from atiende.emulator.delivery import DeliveryResult
from atiende.emulator.deps import EmulatorDep
from atiende.emulator.engine import Emulator, NotAllowed, UnknownCustomer, UnknownMessage
from atiende.emulator.faults import FaultKind
from atiende.emulator.media import base_mime
from atiende.emulator.opus import NotOpusWebm, webm_opus_to_ogg
from atiende.emulator.payloads import CAPTION_MAX, TEXT_BODY_MAX, shared_contact
from atiende.emulator.samples import SAMPLES, SampleKind, read_sample
from atiende.emulator.store import Chat

router = APIRouter()
api = APIRouter(prefix="/emulator/api", tags=["emulator"])


class CustomerText(BaseModel):
    text: str = Field(min_length=1, max_length=TEXT_BODY_MAX)
    reply_to: str | None = None


class NewNumber(BaseModel):
    phone: str = Field(min_length=1, max_length=20)


class CustomerLocation(BaseModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    name: str | None = Field(default=None, max_length=1000)
    address: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    reply_to: str | None = None


class CustomerContact(BaseModel):
    """One contact card: a name and a phone, as the phone page's small form asks."""

    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(min_length=3, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    reply_to: str | None = None


class CustomerReaction(BaseModel):
    message_id: str
    # None or "" takes the reaction away.
    emoji: str | None = Field(default=None, max_length=32)


class CustomerEdit(BaseModel):
    message_id: str
    text: str = Field(min_length=1, max_length=TEXT_BODY_MAX)


class CustomerRevoke(BaseModel):
    message_id: str


class SampleRequest(BaseModel):
    kind: SampleKind
    caption: str | None = Field(default=None, max_length=CAPTION_MAX)
    reply_to: str | None = None


class FaultRequest(BaseModel):
    next: int = Field(default=1, ge=1, le=10_000)
    kind: FaultKind


class DeliveryRequest(BaseModel):
    duplicate: bool | None = None
    reorder: bool | None = None


@cache
def _phone_page() -> str:
    return (resources.files("atiende.emulator") / "static" / "phone.html").read_text("utf-8")


@router.get("/", include_in_schema=False)
async def phone_page() -> HTMLResponse:
    return HTMLResponse(_phone_page())


@api.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@api.get("/info")
async def info(emulator: EmulatorDep) -> dict[str, str]:
    config = emulator.config
    return {
        "display_phone_number": config.display_phone_number,
        "phone_number_id": config.phone_number_id,
        "waba_id": config.waba_id,
        "graph_version": config.graph_version,
        "app_webhook_url": config.app_webhook_url,
    }


@api.get("/customers")
async def list_customers(emulator: EmulatorDep) -> list[dict[str, Any]]:
    return [_customer_view(chat) for chat in emulator.store.chats.values()]


# --- the customer writes ----------------------------------------------------------------------
# Every send answers, with `wait` (the default), once the app answered 200 or the emulator gave
# up retrying; without it, as soon as the webhook is queued (the phone page does that).


@api.post("/customers/{key}/messages")
async def customer_sends(
    key: str, body: CustomerText, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    if not body.text.strip():
        raise HTTPException(422, "El mensaje está vacío.")
    with _refusals():
        message, pending = emulator.customer_writes(
            _known(emulator, key), body.text, reply_to=body.reply_to
        )
    return await _answer(message.id, pending, wait)


@api.post("/customers/{key}/media")
async def customer_sends_media(
    key: str,
    emulator: EmulatorDep,
    file: Annotated[UploadFile, File()],
    caption: Annotated[str | None, Form(max_length=CAPTION_MAX)] = None,
    filename: Annotated[str | None, Form(max_length=240)] = None,
    voice: Annotated[bool, Form()] = False,
    reply_to: Annotated[str | None, Form()] = None,
    type: Annotated[str | None, Form()] = None,  # Meta's name for the MIME type
    wait: bool = True,
) -> dict[str, Any]:
    """A photo, video, audio, voice note, document or sticker from the customer's phone: kept
    as emulator media, announced to the app with its media id, sha256 and type."""
    _known(emulator, key)
    data = await file.read()
    mime_type = type or file.content_type or "application/octet-stream"
    if voice and base_mime(mime_type) in ("audio/webm", "video/webm"):
        # What a browser records; WhatsApp voice notes are Opus in Ogg.
        try:
            data, mime_type = webm_opus_to_ogg(data), "audio/ogg; codecs=opus"
        except NotOpusWebm as exc:
            raise HTTPException(422, f"La nota de voz no es Opus en WebM: {exc}") from exc
    with _refusals():
        message, pending = emulator.customer_sends_media(
            key,
            data,
            mime_type,
            filename=filename or file.filename,
            caption=caption,
            voice=voice,
            reply_to=reply_to,
        )
    return await _answer(message.id, pending, wait)


@api.get("/samples")
async def samples() -> list[dict[str, Any]]:
    return [
        {"kind": kind, "filename": s.filename, "mime_type": s.mime_type, "label": s.label}
        for kind, s in SAMPLES.items()
    ]


@api.post("/customers/{key}/sample")
async def customer_sends_sample(
    key: str, body: SampleRequest, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    """One of the small files shipped with the emulator, without a file picker."""
    _known(emulator, key)
    sample = SAMPLES[body.kind]
    with _refusals():
        message, pending = emulator.customer_sends_media(
            key,
            read_sample(body.kind),
            sample.mime_type,
            filename=sample.filename,
            caption=body.caption,
            voice=sample.voice,
            reply_to=body.reply_to,
        )
    return await _answer(message.id, pending, wait)


@api.post("/customers/{key}/location")
async def customer_shares_location(
    key: str, body: CustomerLocation, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    with _refusals():
        message, pending = emulator.customer_shares_location(
            _known(emulator, key),
            latitude=body.latitude,
            longitude=body.longitude,
            name=body.name or None,
            address=body.address or None,
            url=body.url or None,
            reply_to=body.reply_to,
        )
    return await _answer(message.id, pending, wait)


@api.post("/customers/{key}/contacts")
async def customer_shares_contact(
    key: str, body: CustomerContact, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    first, _, last = body.name.strip().partition(" ")
    digits = "".join(c for c in body.phone if c.isdigit())
    card = shared_contact(
        body.name.strip(),
        first_name=first or None,
        last_name=last.strip() or None,
        phones=[(body.phone.strip(), "CELL", digits or None)],
        emails=[(body.email.strip(), "HOME")] if body.email and body.email.strip() else [],
    )
    with _refusals():
        message, pending = emulator.customer_shares_contacts(
            _known(emulator, key), [card], reply_to=body.reply_to
        )
    return await _answer(message.id, pending, wait)


@api.post("/customers/{key}/reaction")
async def customer_reacts(
    key: str, body: CustomerReaction, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    with _refusals():
        message_id, pending = emulator.customer_reacts(
            _known(emulator, key), body.message_id, body.emoji or None
        )
    return await _answer(message_id, pending, wait)


@api.post("/customers/{key}/edit")
async def customer_edits(
    key: str, body: CustomerEdit, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    if not body.text.strip():
        raise HTTPException(422, "El mensaje está vacío.")
    with _refusals():
        message_id, pending = emulator.customer_edits(
            _known(emulator, key), body.message_id, body.text
        )
    return await _answer(message_id, pending, wait)


@api.post("/customers/{key}/revoke")
async def customer_revokes(
    key: str, body: CustomerRevoke, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    with _refusals():
        message_id, pending = emulator.customer_revokes(_known(emulator, key), body.message_id)
    return await _answer(message_id, pending, wait)


@api.post("/customers/{key}/welcome")
async def customer_opens_chat(key: str, emulator: EmulatorDep, wait: bool = True) -> dict[str, Any]:
    """`request_welcome`: the customer opens the chat for the first time."""
    message_id, pending = emulator.customer_opens_chat(_known(emulator, key))
    return await _answer(message_id, pending, wait)


@api.post("/customers/{key}/number")
async def customer_changes_number(
    key: str, body: NewNumber, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    """`user_changed_number`: the customer's new number, and with it a new BSUID."""
    with _refusals():
        message_id, pending = emulator.customer_changes_number(_known(emulator, key), body.phone)
    return await _answer(message_id, pending, wait)


@api.post("/customers/{key}/user-id")
async def customer_changes_user_id(
    key: str, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    """`user_changed_user_id`: Meta gives the customer a new BSUID."""
    message_id, pending = emulator.customer_changes_user_id(_known(emulator, key))
    return await _answer(message_id, pending, wait)


@api.get("/customers/{key}/messages")
async def conversation(key: str, emulator: EmulatorDep) -> dict[str, Any]:
    """Both ways; `direction` is seen from the business (inbound = customer to business)."""
    chat = emulator.chat(_known(emulator, key))
    return {
        "customer": _customer_view(chat),
        "business_typing": emulator.business_typing(chat),
        "messages": [m.public() for m in chat.messages],
    }


@api.post("/customers/{key}/read")
async def customer_reads(key: str, emulator: EmulatorDep) -> dict[str, list[str]]:
    return {"read": emulator.customer_reads(_known(emulator, key))}


@api.get("/media/{media_id}")
async def media_for_the_page(media_id: str, emulator: EmulatorDep) -> Response:
    """A file as the phone shows it; the page needs no token (Graph's URL does)."""
    stored = emulator.media.get(media_id)
    if stored is None:
        raise HTTPException(404, "No existe ese archivo en el emulador.")
    return Response(stored.data, media_type=stored.mime_type)


# --- failures on demand -------------------------------------------------------------------


@api.get("/faults")
async def faults(emulator: EmulatorDep) -> dict[str, Any]:
    return {"pending": emulator.faults.pending(), "held": emulator.faults.held}


@api.post("/faults")
async def add_faults(body: FaultRequest, emulator: EmulatorDep) -> dict[str, Any]:
    """The next `next` Graph sends fail as `kind` says, after any faults already queued.

    Marking read is not affected. http_500, http_429_130429 and 131056 fail the request;
    131047 and 131026 are accepted (200, a wamid) and fail by webhook, as Meta reports them;
    timeout holds the request `fault_hold_seconds` (30 s) or until DELETE, then answers 503
    without sending."""
    emulator.faults.add(body.kind, body.next)
    return {"pending": emulator.faults.pending(), "held": emulator.faults.held}


@api.delete("/faults")
async def clear_faults(emulator: EmulatorDep) -> dict[str, Any]:
    """Forget queued faults and let requests held by `timeout` go (answered 503)."""
    released = emulator.faults.clear()
    return {"pending": emulator.faults.pending(), "released": released}


@api.get("/delivery")
async def delivery(emulator: EmulatorDep) -> dict[str, bool]:
    return {"duplicate": emulator.modes.duplicate, "reorder": emulator.modes.reorder}


@api.post("/delivery")
async def set_delivery(body: DeliveryRequest, emulator: EmulatorDep) -> dict[str, bool]:
    emulator.set_modes(duplicate=body.duplicate, reorder=body.reorder)
    return {"duplicate": emulator.modes.duplicate, "reorder": emulator.modes.reorder}


@api.get("/webhooks")
async def webhooks(emulator: EmulatorDep, limit: int = 50) -> list[dict[str, Any]]:
    """The latest deliveries to the app, oldest first, with their outcome."""
    recent = list(emulator.sender.log)[-limit:] if limit > 0 else []
    return [d.summary() for d in recent]


@api.post("/reset")
async def reset(emulator: EmulatorDep) -> dict[str, str]:
    """Empty chats and media; no faults; plain delivery."""
    await emulator.reset()
    return {"status": "ok"}


router.include_router(api)


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """What the customer may not do, as HTTP answers for the page."""
    try:
        yield
    except UnknownMessage as error:
        raise HTTPException(404, f"No hay un mensaje «{error}» en este chat.") from error
    except NotAllowed as error:
        raise HTTPException(422, str(error)) from error


async def _answer(
    message_id: str, pending: "asyncio.Future[DeliveryResult]", wait: bool
) -> dict[str, Any]:
    if not wait:
        return {"id": message_id, "delivered_to_app": None}
    result = await pending
    answer: dict[str, Any] = {
        "id": message_id,
        "delivered_to_app": result.delivered,
        "attempts": result.attempts,
    }
    if not result.delivered:
        answer["gave_up"] = True
        answer["last_error"] = result.last_error
    return answer


def _known(emulator: Emulator, key: str) -> str:
    try:
        emulator.chat(key)
    except UnknownCustomer:
        raise HTTPException(404, f"No hay un cliente «{key}» en el emulador.") from None
    return key


def _customer_view(chat: Chat) -> dict[str, Any]:
    customer = chat.customer
    last = chat.messages[-1] if chat.messages else None
    return {
        "key": customer.key,
        "name": customer.name,
        "phone": customer.phone,
        "bsuid": customer.bsuid,
        "username": customer.username,
        "unread": len(chat.unread_by_customer()),
        "last_message": None if last is None else last.public(),
    }
