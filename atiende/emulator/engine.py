"""What happens when a customer or the business acts: chat state plus the webhooks it causes."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx

from atiende.emulator.config import EmulatorConfig
from atiende.emulator.delivery import DeliveryResult, RetryPolicy, WebhookSender
from atiende.emulator.graph_requests import GraphError, MarkRead, SendText
from atiende.emulator.payloads import (
    JSON,
    BusinessNumber,
    LiveStatus,
    failed_status_webhook,
    inbound_text_webhook,
    invalid_parameter_error,
    new_wamid,
    read_response,
    reengagement_error,
    send_response,
    status_webhook,
    undeliverable_error,
)
from atiende.emulator.store import TYPING_SECONDS, Chat, ChatMessage, Store

WINDOW_SECONDS = 24 * 3600


class UnknownCustomer(LookupError):
    pass


class Emulator:
    def __init__(
        self,
        config: EmulatorConfig,
        *,
        webhook_transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.business = BusinessNumber.of(config)
        self.store = Store(config.customers)
        self._clock = clock
        self._transport = webhook_transport
        self._client: httpx.AsyncClient | None = None
        self._sender: WebhookSender | None = None
        self._timers: set[asyncio.Task[None]] = set()

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        timeout = httpx.Timeout(self.config.webhook_timeout_seconds)
        self._client = httpx.AsyncClient(transport=self._transport, timeout=timeout)
        policy = RetryPolicy(
            self.config.retry_base_seconds, self.config.retry_max_seconds, self.config.max_attempts
        )
        self._sender = WebhookSender(
            self.config.app_webhook_url, self.config.app_secret, self._client, policy
        )
        self._sender.start()

    async def stop(self) -> None:
        await self._cancel_timers()
        if self._sender is not None:
            await self._sender.stop()
        if self._client is not None:
            await self._client.aclose()
        self._sender = self._client = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["Emulator"]:
        await self.start()
        try:
            yield self
        finally:
            await self.stop()

    async def reset(self) -> None:
        await self._cancel_timers()
        self.store.reset()

    @property
    def sender(self) -> WebhookSender:
        if self._sender is None:
            raise RuntimeError("the emulator is not running")
        return self._sender

    # --- the customer, from the phone page --------------------------------------------------

    def customer_writes(
        self, key: str, text: str
    ) -> tuple[ChatMessage, "asyncio.Future[DeliveryResult]"]:
        """Queue the customer's text for the app; the future settles once the app answered 200
        or retries ended."""
        chat = self.chat(key)
        now = self._clock()
        customer = chat.customer
        message = ChatMessage(new_wamid(customer.phone or customer.bsuid), "inbound", text, now)
        self.store.add(chat, message)
        chat.last_inbound_at = now
        payload = inbound_text_webhook(self.business, customer, message.id, text, now)
        result = self.sender.submit(customer.key, payload)

        def settle(done: "asyncio.Future[DeliveryResult]") -> None:
            message.delivery = "delivered" if done.result().delivered else "failed"

        result.add_done_callback(settle)
        return message, result

    async def customer_sends(self, key: str, text: str) -> tuple[ChatMessage, DeliveryResult]:
        message, result = self.customer_writes(key, text)
        return message, await result

    def customer_reads(self, key: str) -> list[str]:
        chat = self.chat(key)
        unread = chat.unread_by_customer()
        for message in unread:
            self._emit_status(chat, message, "read")
        return [m.id for m in unread]

    def chat(self, key: str) -> Chat:
        chat = self.store.chat(key)
        if chat is None:
            raise UnknownCustomer(key)
        return chat

    # --- the business, through the Graph API -------------------------------------------------

    def business_sends(self, request: SendText) -> JSON:
        if request.to is not None:
            chat, input_value = self.store.by_phone(request.to), request.to_input or request.to
        else:
            assert request.recipient is not None  # parse_request guarantees one of the two
            chat, input_value = self.store.by_bsuid(request.recipient), request.recipient
        by_phone = request.to is not None
        if chat is None:
            return self._send_to_nobody(request, input_value)
        customer = chat.customer
        message = ChatMessage(
            new_wamid(customer.phone or customer.bsuid),
            "outbound",
            request.body,
            self._clock(),
            callback_data=request.callback_data,
        )
        self.store.add(chat, message)
        chat.typing_until = 0.0
        if self._window_closed(chat):
            self._spawn(self._fail_later(chat, message, request))
        else:
            self._spawn(self._progress(chat, message))
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

    # --- status webhooks ----------------------------------------------------------------------

    def _window_closed(self, chat: Chat) -> bool:
        if not self.config.enforce_window:
            return False
        last = chat.last_inbound_at
        return last is None or self._clock() - last > WINDOW_SECONDS

    def _send_to_nobody(self, request: SendText, input_value: str) -> JSON:
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

    async def _progress(self, chat: Chat, message: ChatMessage) -> None:
        await asyncio.sleep(self.config.status_delay_seconds)
        self._emit_status(chat, message, "sent")
        await asyncio.sleep(self.config.status_delay_seconds)
        # A customer who read it already implies delivery; Meta then skips `delivered`.
        if message.status == "sent":
            self._emit_status(chat, message, "delivered")

    async def _fail_later(self, chat: Chat, message: ChatMessage, request: SendText) -> None:
        await asyncio.sleep(self.config.status_delay_seconds)
        error = reengagement_error()
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

    def _emit_status(self, chat: Chat, message: ChatMessage, status: LiveStatus) -> None:
        message.status = status
        payload = status_webhook(
            self.business,
            chat.customer,
            message.id,
            status,
            self._clock(),
            callback_data=message.callback_data,
        )
        self.sender.submit(chat.customer.key, payload)

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
