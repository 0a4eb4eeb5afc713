"""What happens when a customer or the business acts: chat state plus the webhooks it causes."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import replace
from typing import Any, Final

import httpx

from atiende.emulator.config import Customer, EmulatorConfig
from atiende.emulator.delivery import DeliveryResult, WebhookSender
from atiende.emulator.faults import ASYNC_FAULTS, DeliveryModes, FaultKind, Faults, async_error
from atiende.emulator.graph_requests import (
    GraphError,
    MarkRead,
    Send,
    SendMedia,
    SendTemplate,
    SendText,
)
from atiende.emulator.media import (
    ACCEPTED,
    INBOUND_MAX,
    SENDABLE_AS,
    MediaStore,
    StoredMedia,
    base_mime,
    content_problem,
    human_size,
    inbound_kind,
)
from atiende.emulator.payloads import (
    JSON,
    BusinessNumber,
    LiveStatus,
    MediaKind,
    contacts_message,
    edit_message,
    failed_status_webhook,
    inbound_webhook,
    invalid_parameter_error,
    location_message,
    media_body,
    media_message,
    new_wamid,
    next_bsuid,
    number_changed_message,
    reaction_message,
    read_response,
    reengagement_error,
    reply_context,
    request_welcome_message,
    revoke_message,
    send_response,
    status_error,
    status_webhook,
    text_message,
    undeliverable_error,
    user_id_changed_message,
)
from atiende.emulator.store import TYPING_SECONDS, Chat, ChatMessage, Store

WINDOW_SECONDS = 24 * 3600
# With statuses reordered, the send's answer waits at most this long for `sent` to be taken.
SENT_FIRST_WAIT: Final = 2.0
MEDIA_LABELS: Final[dict[str, str]] = {
    "image": "📷 Foto",
    "audio": "🎵 Audio",
    "voice": "🎤 Nota de voz",
    "video": "🎥 Video",
    "document": "📄 Documento",
    "sticker": "Sticker",
}

Build = Callable[[str, float, JSON | None], JSON]


class UnknownCustomer(LookupError):
    pass


class UnknownMessage(LookupError):
    pass


class NotAllowed(ValueError):
    """The customer tried what WhatsApp would not let him (edit someone else's message…)."""


def media_label(kind: str, *, voice: bool = False) -> str:
    return MEDIA_LABELS["voice" if voice else kind]


def media_error(details: str) -> JSON:
    return status_error(131053, "Media upload error", details)


class Emulator:
    def __init__(
        self,
        config: EmulatorConfig,
        *,
        webhook_transport: httpx.AsyncBaseTransport | None = None,
        media_transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.business = BusinessNumber.of(config)
        self.store = Store(config.customers)
        self.media = MediaStore(clock)
        self.faults = Faults(config.fault_hold_seconds)
        self.modes = DeliveryModes()
        self._clock = clock
        self._transport = webhook_transport
        self._media_transport = media_transport
        self._client: httpx.AsyncClient | None = None
        self._media_client: httpx.AsyncClient | None = None
        self._sender: WebhookSender | None = None
        self._timers: set[asyncio.Task[None]] = set()
        self._read_events: dict[str, asyncio.Event] = {}

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        timeout = httpx.Timeout(self.config.webhook_timeout_seconds)
        self._client = httpx.AsyncClient(transport=self._transport, timeout=timeout)
        self._media_client = httpx.AsyncClient(
            transport=self._media_transport,
            timeout=httpx.Timeout(self.config.link_timeout_seconds),
            follow_redirects=True,
        )
        policy = self.config.retry_policy()
        self._sender = WebhookSender(
            self.config.app_webhook_url, self.config.app_secret, self._client, policy
        )
        self._sender.start()

    async def stop(self) -> None:
        self.faults.clear()
        await self._cancel_timers()
        if self._sender is not None:
            await self._sender.stop()
        for client in (self._client, self._media_client):
            if client is not None:
                await client.aclose()
        self._sender = self._client = self._media_client = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["Emulator"]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()

    async def reset(self) -> None:
        """Back to empty chats, no media, no faults, plain delivery."""
        self.faults.clear()
        await self._cancel_timers()
        self.store.reset()
        self.media.reset()
        self.set_modes(duplicate=False, reorder=False)
        self._read_events.clear()

    def set_modes(self, *, duplicate: bool | None = None, reorder: bool | None = None) -> None:
        if duplicate is not None:
            self.modes.duplicate = duplicate
            if self._sender is not None:
                self._sender.duplicate = duplicate
        if reorder is not None:
            self.modes.reorder = reorder

    @property
    def sender(self) -> WebhookSender:
        if self._sender is None:
            raise RuntimeError("the emulator is not running")
        return self._sender

    # --- the customer, from the phone page --------------------------------------------------

    def customer_writes(
        self, key: str, text: str, *, reply_to: str | None = None
    ) -> tuple[ChatMessage, "asyncio.Future[DeliveryResult]"]:
        """Queue the customer's text for the app; the future settles once the app answered 200
        or retries ended."""
        chat = self.chat(key)

        def build(message_id: str, now: float, context: JSON | None) -> JSON:
            return text_message(chat.customer, message_id, text, now, context=context)

        return self._standalone(chat, "text", text, {"body": text}, build, reply_to)

    async def customer_sends(self, key: str, text: str) -> tuple[ChatMessage, DeliveryResult]:
        message, result = self.customer_writes(key, text)
        return message, await result

    def customer_sends_media(
        self,
        key: str,
        data: bytes,
        mime_type: str,
        *,
        filename: str | None = None,
        caption: str | None = None,
        voice: bool = False,
        reply_to: str | None = None,
    ) -> tuple[ChatMessage, "asyncio.Future[DeliveryResult]"]:
        """The customer sends a file; the app is told its media id, to fetch through Graph."""
        chat = self.chat(key)
        if not data:
            raise NotAllowed("El archivo está vacío.")
        if len(data) > INBOUND_MAX:
            raise NotAllowed(f"WhatsApp no envía archivos de más de {human_size(INBOUND_MAX)}.")
        kind = inbound_kind(mime_type)
        voice = voice and kind == "audio"
        stored = self.media.add(data, mime_type, filename)
        body = media_body(
            kind,
            media_id=stored.id,
            mime_type=mime_type,
            sha256=stored.sha256,
            caption=caption,
            filename=filename or (f"archivo-{stored.id}" if kind == "document" else None),
            voice=voice,
        )

        def build(message_id: str, now: float, context: JSON | None) -> JSON:
            return media_message(chat.customer, message_id, now, kind, body, context=context)

        content = self._media_content(stored, body)
        summary = body.get("caption") or body.get("filename") or media_label(kind, voice=voice)
        return self._standalone(chat, kind, summary, content, build, reply_to)

    def customer_shares_location(
        self,
        key: str,
        *,
        latitude: float,
        longitude: float,
        name: str | None = None,
        address: str | None = None,
        url: str | None = None,
        reply_to: str | None = None,
    ) -> tuple[ChatMessage, "asyncio.Future[DeliveryResult]"]:
        chat = self.chat(key)

        def build(message_id: str, now: float, context: JSON | None) -> JSON:
            return location_message(
                chat.customer,
                message_id,
                now,
                latitude=latitude,
                longitude=longitude,
                name=name,
                address=address,
                url=url,
                context=context,
            )

        body = build("", 0, None)["location"]
        summary = "📍 " + (name or address or f"{latitude:.5f}, {longitude:.5f}")
        return self._standalone(chat, "location", summary, body, build, reply_to)

    def customer_shares_contacts(
        self, key: str, cards: list[JSON], *, reply_to: str | None = None
    ) -> tuple[ChatMessage, "asyncio.Future[DeliveryResult]"]:
        chat = self.chat(key)
        if not cards:
            raise NotAllowed("Falta el contacto.")

        def build(message_id: str, now: float, context: JSON | None) -> JSON:
            return contacts_message(chat.customer, message_id, now, cards, context=context)

        names = ", ".join(str(c["name"]["formatted_name"]) for c in cards)
        return self._standalone(
            chat, "contacts", "👤 " + names, {"contacts": cards}, build, reply_to
        )

    def customer_reacts(
        self, key: str, target_id: str, emoji: str | None
    ) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        """A reaction on any message of the chat; no emoji takes the customer's away."""
        chat = self.chat(key)
        target = self._target(chat, target_id)
        if emoji:
            target.reactions["customer"] = emoji
        else:
            target.reactions.pop("customer", None)

        def build(message_id: str, now: float, _: JSON | None) -> JSON:
            return reaction_message(chat.customer, message_id, now, target_id, emoji or None)

        return self._change(chat, build)

    def customer_edits(
        self, key: str, target_id: str, text: str
    ) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        chat = self.chat(key)
        target = self._target(chat, target_id)
        if target.direction != "inbound" or target.kind != "text":
            raise NotAllowed("Solo se pueden editar los textos propios.")
        target.text, target.content, target.edited = text, {"body": text}, True

        def build(message_id: str, now: float, _: JSON | None) -> JSON:
            return edit_message(chat.customer, message_id, now, target_id, text)

        return self._change(chat, build)

    def customer_revokes(
        self, key: str, target_id: str
    ) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        chat = self.chat(key)
        target = self._target(chat, target_id)
        if target.direction != "inbound":
            raise NotAllowed("Solo se pueden eliminar los mensajes propios.")
        target.deleted = True

        def build(message_id: str, now: float, _: JSON | None) -> JSON:
            return revoke_message(chat.customer, message_id, now, target_id)

        return self._change(chat, build)

    def customer_opens_chat(self, key: str) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        """`request_welcome`: the customer opened the chat for the first time (no content)."""
        chat = self.chat(key)

        def build(message_id: str, now: float, _: JSON | None) -> JSON:
            return request_welcome_message(chat.customer, message_id, now)

        return self._change(chat, build)

    def customer_changes_number(
        self, key: str, new_phone: str
    ) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        """The customer moves to a new number, and so to a new BSUID; from now on his webhooks
        carry both new identifiers, as Meta's do."""
        chat = self.chat(key)
        if not (new_phone.isdigit() and 8 <= len(new_phone) <= 15):
            raise NotAllowed("El número nuevo debe tener de 8 a 15 dígitos, con el código de país.")
        holder = self.store.by_phone(new_phone)
        if holder is not None:
            raise NotAllowed(f"Ese número ya es de {holder.customer.name}.")
        before = chat.customer
        bsuid = next_bsuid(before.bsuid)

        def build(message_id: str, now: float) -> JSON:
            return number_changed_message(before, message_id, now, new_phone, bsuid)

        return self._identity_changed(chat, replace(before, phone=new_phone, bsuid=bsuid), build)

    def customer_changes_user_id(self, key: str) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        """Meta gives the customer a new BSUID (no phone number is told)."""
        chat = self.chat(key)
        before = chat.customer
        bsuid = next_bsuid(before.bsuid)

        def build(message_id: str, now: float) -> JSON:
            return user_id_changed_message(before, message_id, now, bsuid)

        return self._identity_changed(chat, replace(before, bsuid=bsuid), build)

    def _identity_changed(
        self, chat: Chat, after: Customer, build: Callable[[str, float], JSON]
    ) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        """A `system` notice, sent as the customer was, with no `contacts`; then the chat is his
        under the new identifiers."""
        now = self._clock()
        before = chat.customer
        message_id = new_wamid(before.phone or before.bsuid)
        payload = inbound_webhook(self.business, before, build(message_id, now), contacts=False)
        chat.customer = after
        return message_id, self.sender.submit(before.key, payload)

    def customer_reads(self, key: str) -> list[str]:
        chat = self.chat(key)
        unread = chat.unread_by_customer()
        for message in unread:
            self._emit_status(chat, message, "read")
            event = self._read_events.get(message.id)
            if event is not None:
                event.set()
        return [m.id for m in unread]

    def chat(self, key: str) -> Chat:
        chat = self.store.chat(key)
        if chat is None:
            raise UnknownCustomer(key)
        return chat

    def _standalone(
        self,
        chat: Chat,
        kind: str,
        summary: str,
        content: JSON,
        build: Build,
        reply_to: str | None,
    ) -> tuple[ChatMessage, "asyncio.Future[DeliveryResult]"]:
        """A message of its own in the chat: shown on the phone, with ticks."""
        context = self._context(chat, reply_to) if reply_to else None
        now = self._clock()
        customer = chat.customer
        message = ChatMessage(
            new_wamid(customer.phone or customer.bsuid),
            "inbound",
            summary,
            now,
            kind=kind,
            content=content,
            reply_to=reply_to,
        )
        payload = inbound_webhook(self.business, customer, build(message.id, now, context))
        self.store.add(chat, message)
        chat.last_inbound_at = now
        result = self.sender.submit(customer.key, payload)

        def settle(done: "asyncio.Future[DeliveryResult]") -> None:
            message.delivery = "delivered" if done.result().delivered else "failed"

        result.add_done_callback(settle)
        return message, result

    def _change(self, chat: Chat, build: Build) -> tuple[str, "asyncio.Future[DeliveryResult]"]:
        """A message that changes another one (or opens the chat): no bubble of its own."""
        now = self._clock()
        customer = chat.customer
        message_id = new_wamid(customer.phone or customer.bsuid)
        payload = inbound_webhook(self.business, customer, build(message_id, now, None))
        chat.last_inbound_at = now
        return message_id, self.sender.submit(customer.key, payload)

    def _target(self, chat: Chat, message_id: str) -> ChatMessage:
        found = self.store.find_message(message_id)
        if found is None or found[0] is not chat:
            raise UnknownMessage(message_id)
        if found[1].deleted:
            raise NotAllowed("Ese mensaje fue eliminado.")
        return found[1]

    def _context(self, chat: Chat, reply_to: str) -> JSON:
        quoted = self._target(chat, reply_to)
        customer = chat.customer
        quoted_from = (
            self.business.display_phone_number
            if quoted.direction == "outbound"
            else customer.phone or customer.bsuid
        )
        return reply_context(quoted_from, quoted.id)

    @staticmethod
    def _media_content(stored: StoredMedia, body: JSON) -> JSON:
        """What the phone page needs to show a file, with a URL of its own (no token)."""
        content = {k: v for k, v in body.items() if k != "id"}
        return content | {
            "media_id": stored.id,
            "file_size": stored.file_size,
            "url": f"/emulator/api/media/{stored.id}",
        }

    # --- the business, through the Graph API -------------------------------------------------

    async def business_sends(self, request: Send, fault: FaultKind | None = None) -> JSON:
        """Accept a send as Graph does; `fault` (131047 or 131026) fails it by webhook."""
        if request.to is not None:
            chat, input_value = self.store.by_phone(request.to), request.to_input or request.to
        else:
            assert request.recipient is not None  # parse_request guarantees one of the two
            chat, input_value = self.store.by_bsuid(request.recipient), request.recipient
        by_phone = request.to is not None
        if chat is None:
            return self._send_to_nobody(request, input_value)
        customer = chat.customer
        content: dict[str, Any]
        if isinstance(request, SendText):
            kind, summary, content = "text", request.body, {"body": request.body}
        elif isinstance(request, SendTemplate):
            kind = "template"
            summary = f"📋 {request.name} ({request.language})" + (
                ": " + " · ".join(request.params) if request.params else ""
            )
            content = {
                "name": request.name,
                "language": request.language,
                "params": list(request.params),
            }
        else:
            kind = request.kind
            summary = request.caption or request.filename or media_label(kind)
            content = {
                k: v
                for k, v in (
                    ("caption", request.caption),
                    ("filename", request.filename),
                    ("link", request.link),
                )
                if v is not None
            }
        message = ChatMessage(
            new_wamid(customer.phone or customer.bsuid),
            "outbound",
            summary,
            self._clock(),
            callback_data=request.callback_data,
            kind=kind,
            content=content,
            reply_to=request.reply_to,
        )
        self.store.add(chat, message)
        chat.typing_until = 0.0
        if fault in ASYNC_FAULTS:
            assert fault is not None
            self._spawn(self._fail_later(chat, message, request, async_error(fault)))
        elif self._window_closed(chat) and not isinstance(request, SendTemplate):
            self._spawn(self._fail_later(chat, message, request, reengagement_error()))
        elif isinstance(request, SendMedia):
            self._spawn(self._send_media(chat, message, request))
        else:
            await self._start_progress(chat, message)
        if by_phone:
            return send_response(input_value, message.id, wa_id=customer.phone)
        return send_response(input_value, message.id, user_id=customer.bsuid)

    def business_reads(self, request: MarkRead) -> JSON:
        found = self.store.find_message(request.message_id)
        if found is None or found[1].direction != "inbound":
            raise GraphError(400, invalid_parameter_error("Invalid message_id."))
        chat, target = found
        # Like WhatsApp, reading one message marks every earlier one in the chat read.
        for message in chat.messages:
            if message.direction == "inbound":
                message.read_by_business = True
            if message is target:
                break
        if request.typing:
            chat.typing_until = self._clock() + TYPING_SECONDS
        return read_response()

    def business_typing(self, chat: Chat) -> bool:
        return chat.typing_until > self._clock()

    # --- media the business sends --------------------------------------------------------------

    async def _send_media(self, chat: Chat, message: ChatMessage, request: SendMedia) -> None:
        """Meta takes the send at once and fetches or checks the media afterwards; a problem
        comes back as a failed status with 131053."""
        if request.media_id is not None:
            stored = self.media.get(request.media_id)
            problem = self._unsendable(stored, request.kind)
        else:
            assert request.link is not None
            stored, problem = await self._fetch_link(request.link, request.kind)
        if problem is not None or stored is None:
            await self._fail_later(chat, message, request, media_error(problem or "No media."))
            return
        message.content = message.content | self._media_content(
            stored, {"mime_type": stored.mime_type, "sha256": stored.sha256}
        )
        await self._start_progress(chat, message)

    @staticmethod
    def _unsendable(stored: StoredMedia | None, kind: MediaKind) -> str | None:
        if stored is None:
            return "The media id does not exist or was deleted."
        if base_mime(stored.mime_type) not in SENDABLE_AS[kind]:
            return f"Media of type {stored.mime_type} cannot be sent as {kind}."
        return content_problem(kind, stored.mime_type, stored.data)

    async def _fetch_link(
        self, link: str, kind: MediaKind
    ) -> tuple[StoredMedia | None, str | None]:
        assert self._media_client is not None
        try:
            response = await self._media_client.get(link)
        except httpx.HTTPError as exc:
            return None, f"Downloading media from weblink failed: {type(exc).__name__}."
        if response.status_code != 200:
            return None, (
                f"Downloading media from weblink failed with http code {response.status_code}"
            )
        mime_type = response.headers.get("content-type", "application/octet-stream")
        if base_mime(mime_type) not in SENDABLE_AS[kind]:
            return None, f"Media type {mime_type} is not supported for {kind}."
        limit = ACCEPTED[base_mime(mime_type)][1] if kind != "document" else 100 * 1024 * 1024
        if len(response.content) > limit:
            return None, f"Media is larger than the {human_size(limit)} allowed."
        problem = content_problem(kind, mime_type, response.content)
        if problem is not None:
            return None, problem
        filename = link.rsplit("/", 1)[-1].split("?", 1)[0] or None
        return self.media.add(response.content, mime_type, filename), None

    # --- status webhooks ----------------------------------------------------------------------

    def _window_closed(self, chat: Chat) -> bool:
        if not self.config.enforce_window:
            return False
        last = chat.last_inbound_at
        return last is None or self._clock() - last > WINDOW_SECONDS

    def _send_to_nobody(self, request: Send, input_value: str) -> JSON:
        """Meta accepts a send to a number or BSUID it cannot reach and fails it afterwards."""
        identity = request.to or request.recipient or input_value
        message_id = new_wamid(identity)

        async def fail() -> None:
            await asyncio.sleep(self.config.status_delay_seconds)
            payload = failed_status_webhook(
                self.business,
                message_id,
                self._clock(),
                undeliverable_error(),
                to=request.to,
                recipient=request.recipient,
                callback_data=request.callback_data,
            )
            self.sender.submit(f"unknown:{identity}", payload)

        self._spawn(fail())
        if request.to is not None:
            return send_response(input_value, message_id, wa_id=request.to)
        return send_response(input_value, message_id, user_id=request.recipient)

    async def _start_progress(self, chat: Chat, message: ChatMessage) -> None:
        if not self.modes.reorder:
            self._spawn(self._progress(chat, message))
            return
        # Reordered: `sent` reaches the app before the send's answer tells it the wamid, and
        # `delivered` waits for the customer to read first.
        self._read_events[message.id] = asyncio.Event()
        sent = self._emit_status(chat, message, "sent")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(sent), SENT_FIRST_WAIT)
        self._spawn(self._progress_reordered(chat, message))

    async def _progress(self, chat: Chat, message: ChatMessage) -> None:
        await asyncio.sleep(self.config.status_delay_seconds)
        self._emit_status(chat, message, "sent")
        await asyncio.sleep(self.config.status_delay_seconds)
        # A customer who read it already implies delivery; Meta then skips `delivered`.
        if message.status == "sent":
            self._emit_status(chat, message, "delivered")

    async def _progress_reordered(self, chat: Chat, message: ChatMessage) -> None:
        event = self._read_events[message.id]
        try:
            await asyncio.sleep(self.config.status_delay_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), self.config.reorder_hold_seconds)
            self._emit_status(chat, message, "delivered", keep_state=message.status == "read")
        finally:
            self._read_events.pop(message.id, None)

    async def _fail_later(
        self, chat: Chat, message: ChatMessage, request: Send, error: JSON
    ) -> None:
        await asyncio.sleep(self.config.status_delay_seconds)
        message.status, message.error_code = "failed", error["code"]
        payload = failed_status_webhook(
            self.business,
            message.id,
            self._clock(),
            error,
            to=request.to,
            recipient=request.recipient,
            callback_data=message.callback_data,
        )
        self.sender.submit(chat.customer.key, payload)

    def _emit_status(
        self, chat: Chat, message: ChatMessage, status: LiveStatus, *, keep_state: bool = False
    ) -> "asyncio.Future[DeliveryResult]":
        if not keep_state:
            message.status = status
        payload = status_webhook(
            self.business,
            chat.customer,
            message.id,
            status,
            self._clock(),
            callback_data=message.callback_data,
        )
        return self.sender.submit(chat.customer.key, payload)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def _cancel_timers(self) -> None:
        timers = list(self._timers)
        for task in timers:
            task.cancel()
        for task in timers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
