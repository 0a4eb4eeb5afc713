"""The emulator's own JSON API, used by the phone page and by tests, and the page itself."""

from functools import cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from atiende.emulator.deps import EmulatorDep
from atiende.emulator.engine import Emulator, UnknownCustomer
from atiende.emulator.payloads import TEXT_BODY_MAX
from atiende.emulator.store import Chat

router = APIRouter()
api = APIRouter(prefix="/emulator/api", tags=["emulator"])


class CustomerText(BaseModel):
    text: str = Field(min_length=1, max_length=TEXT_BODY_MAX)


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


@api.post("/customers/{key}/messages")
async def customer_sends(
    key: str, body: CustomerText, emulator: EmulatorDep, wait: bool = True
) -> dict[str, Any]:
    """With `wait` (the default) answers once the app answered 200 or the emulator gave up
    retrying; without it, as soon as the webhook is queued (the phone page does that)."""
    if not body.text.strip():
        raise HTTPException(422, "El mensaje está vacío.")
    message, pending = emulator.customer_writes(_known(emulator, key), body.text)
    if not wait:
        return {"id": message.id, "delivered_to_app": None}
    result = await pending
    answer: dict[str, Any] = {
        "id": message.id,
        "delivered_to_app": result.delivered,
        "attempts": result.attempts,
    }
    if not result.delivered:
        answer["gave_up"] = True
        answer["last_error"] = result.last_error
    return answer


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


@api.get("/webhooks")
async def webhooks(emulator: EmulatorDep, limit: int = 50) -> list[dict[str, Any]]:
    """The latest deliveries to the app, oldest first, with their outcome."""
    recent = list(emulator.sender.log)[-limit:] if limit > 0 else []
    return [d.summary() for d in recent]


@api.post("/reset")
async def reset(emulator: EmulatorDep) -> dict[str, str]:
    await emulator.reset()
    return {"status": "ok"}


router.include_router(api)


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
