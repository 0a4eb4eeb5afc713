"""A load generator: signed inbound webhooks posted straight to the app at a steady rate.

Open loop: each webhook leaves at its scheduled time whether or not earlier ones were
answered, as Meta's would, so a slow app shows as growing latency instead of a lower rate.
Latency counts from the scheduled time (no coordinated omission).

    python -m atiende.emulator.load --app-url http://127.0.0.1:8000 --secret S --rate 50
"""

import argparse
import asyncio
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.emulator.config import Customer
from atiende.emulator.delivery import encode
from atiende.emulator.media import new_media_id
from atiende.emulator.payloads import (
    JSON,
    BusinessNumber,
    inbound_webhook,
    location_message,
    media_body,
    media_message,
    new_wamid,
    text_message,
)

DEFAULT_MIX: Final[dict[str, float]] = {"text": 0.8, "image": 0.1, "location": 0.1}
KINDS: Final = ("text", "image", "location")
WEBHOOK_PATH: Final = "/webhooks/whatsapp"
PHRASES: Final = (
    "Hola, ¿me ayudan con mi pedido?",
    "¿A qué hora abren?",
    "Quiero cambiar la dirección de envío",
    "Gracias 🙌",
    "¿Tienen factura electrónica?",
)


@dataclass
class LoadResult:
    sent: int = 0
    failed: int = 0
    # Scheduled sends not attempted because `max_in_flight` requests were still open.
    dropped: int = 0
    duration_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)
    by_kind: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed

    @property
    def achieved_rate(self) -> float:
        return self.attempted / self.duration_seconds if self.duration_seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in seconds at percentile `p` (0-100) of answered requests, nearest rank."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p90(self) -> float:
        return self.percentile(90)

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def max(self) -> float:
        return max(self.latencies) if self.latencies else math.nan

    def summary(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "failed": self.failed,
            "dropped": self.dropped,
            "duration_seconds": round(self.duration_seconds, 3),
            "achieved_rate": round(self.achieved_rate, 2),
            "latency_ms": {
                name: None if math.isnan(v) else round(v * 1000, 2)
                for name, v in (
                    ("p50", self.p50),
                    ("p90", self.p90),
                    ("p99", self.p99),
                    ("max", self.max),
                )
            },
            "by_kind": dict(self.by_kind),
            "errors": dict(self.errors),
        }


def synthetic_customers(count: int, *, seed: int = 7) -> list[Customer]:
    """`count` made-up customers with Mexican mobile numbers and BSUIDs, every fifth one
    without a shared phone."""
    rng = random.Random(seed)
    customers = []
    for n in range(count):
        bsuid = "MX." + "".join(rng.choice("0123456789") for _ in range(20))
        phone = None if n % 5 == 4 else f"52155{n:08d}"
        customers.append(Customer(f"load{n}", f"Cliente de carga {n}", bsuid, phone=phone))
    return customers


def build_webhook(
    business: BusinessNumber, customer: Customer, kind: str, rng: random.Random, now: float
) -> JSON:
    """One inbound webhook of `kind` (text, image or location) from `customer`."""
    message_id = new_wamid(customer.phone or customer.bsuid)
    if kind == "text":
        message = text_message(customer, message_id, rng.choice(PHRASES), now)
    elif kind == "image":
        body = media_body(
            "image",
            media_id=new_media_id(),
            mime_type="image/jpeg",
            sha256=rng.randbytes(32).hex(),
            caption=rng.choice((None, "Así llegó")),
        )
        message = media_message(customer, message_id, now, "image", body)
    elif kind == "location":
        message = location_message(
            customer,
            message_id,
            now,
            latitude=round(19.43 + rng.uniform(-0.1, 0.1), 6),
            longitude=round(-99.13 + rng.uniform(-0.1, 0.1), 6),
            name=rng.choice((None, "Sucursal Centro")),
        )
    else:
        raise ValueError(f"unknown message kind {kind!r}")
    return inbound_webhook(business, customer, message)


def _check_mix(mix: Mapping[str, float]) -> tuple[list[str], list[float]]:
    unknown = set(mix) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds in mix: {sorted(unknown)}; known: {list(KINDS)}")
    kinds = [k for k, w in mix.items() if w > 0]
    if not kinds or any(w < 0 for w in mix.values()):
        raise ValueError("the mix needs a positive weight")
    return kinds, [mix[k] for k in kinds]


async def run_load(
    app_url: str,
    secret: str,
    business: BusinessNumber,
    customers: Sequence[Customer],
    rate_per_second: float,
    duration_seconds: float,
    mix: Mapping[str, float] = DEFAULT_MIX,
    *,
    path: str = WEBHOOK_PATH,
    timeout_seconds: float = 10.0,
    max_in_flight: int = 2000,
    seed: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> LoadResult:
    """Post `rate_per_second × duration_seconds` signed webhooks to `app_url + path`, evenly
    spaced, from `customers` in turn; a webhook counts as sent when answered 200.

    Bounded: nothing is scheduled after `duration_seconds`, each request gives up after
    `timeout_seconds`, and at most `max_in_flight` are open at once (more are dropped).
    """
    if rate_per_second <= 0 or duration_seconds <= 0:
        raise ValueError("rate and duration must be positive")
    if not customers:
        raise ValueError("at least one customer is needed")
    kinds, weights = _check_mix(mix)
    rng = random.Random(seed)
    result = LoadResult()
    total = max(1, int(rate_per_second * duration_seconds))
    interval = 1.0 / rate_per_second
    url = app_url.rstrip("/") + path
    loop = asyncio.get_running_loop()
    in_flight: set[asyncio.Task[None]] = set()
    limits = httpx.Limits(max_connections=min(max_in_flight, 200), max_keepalive_connections=50)

    async def one(client: httpx.AsyncClient, body: bytes, kind: str, scheduled: float) -> None:
        headers = {"Content-Type": "application/json", HEADER: sign(body, secret)}
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            result.failed += 1
            result.errors[type(exc).__name__] += 1
            return
        if response.status_code == 200:
            result.sent += 1
            result.by_kind[kind] += 1
            result.latencies.append(loop.time() - scheduled)
        else:
            result.failed += 1
            result.errors[f"HTTP {response.status_code}"] += 1

    async with httpx.AsyncClient(
        transport=transport, timeout=timeout_seconds, limits=limits
    ) as client:
        started = loop.time()
        for n in range(total):
            scheduled = started + n * interval
            delay = scheduled - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if len(in_flight) >= max_in_flight:
                result.dropped += 1
                continue
            kind = rng.choices(kinds, weights)[0]
            customer = customers[n % len(customers)]
            body = encode(build_webhook(business, customer, kind, rng, time.time()))
            task = asyncio.create_task(one(client, body, kind, scheduled))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        if in_flight:
            await asyncio.gather(*in_flight)
        result.duration_seconds = loop.time() - started
    return result


def _parse_mix(text: str) -> dict[str, float]:
    mix = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        try:
            mix[name.strip()] = float(weight)
        except ValueError:
            raise argparse.ArgumentTypeError(f"bad mix entry {part!r}: use kind=weight") from None
    try:
        _check_mix(mix)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return mix


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m atiende.emulator.load",
        description="Post signed WhatsApp webhooks (inbound messages) to the app at a steady "
        "rate, open loop, and report how many were taken and how fast.",
    )
    p.add_argument(
        "--app-url", required=True, help="the app's base URL, e.g. http://127.0.0.1:8000"
    )
    p.add_argument("--secret", required=True, help="the channel's app secret (signs the bodies)")
    p.add_argument("--rate", type=float, default=20.0, help="webhooks per second (default 20)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds (default 10)")
    p.add_argument("--customers", type=int, default=50, help="distinct customers (default 50)")
    p.add_argument(
        "--mix",
        type=_parse_mix,
        default=DEFAULT_MIX,
        help="kind=weight list of text, image, location (default text=.8,image=.1,location=.1)",
    )
    p.add_argument("--phone-number-id", default="106540352242922")
    p.add_argument("--display-phone", default="15550783881")
    p.add_argument("--waba-id", default="102290129340398")
    p.add_argument("--path", default=WEBHOOK_PATH, help=f"webhook path (default {WEBHOOK_PATH})")
    p.add_argument("--timeout", type=float, default=10.0, help="per request, seconds")
    p.add_argument("--seed", type=int, default=None)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    business = BusinessNumber(args.waba_id, args.phone_number_id, args.display_phone)
    result = asyncio.run(
        run_load(
            args.app_url,
            args.secret,
            business,
            synthetic_customers(args.customers),
            args.rate,
            args.duration,
            args.mix,
            path=args.path,
            timeout_seconds=args.timeout,
            seed=args.seed,
        )
    )
    print(json.dumps(result.summary(), indent=2, ensure_ascii=False))
    return 0 if result.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
