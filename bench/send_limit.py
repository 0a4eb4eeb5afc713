"""Meta's send limit per number held by several processes together (Redis) or by each alone.

    .venv/bin/python -m bench.send_limit --processes 3 --rate 80 --seconds 5

Starts `--processes` OS processes that each send as fast as their throttle lets them to one
number for `--seconds`, first with the shared Redis throttle the app uses when
`ATIENDE_REDIS_URL` is set, then with each process's own (the app without Redis). Prints the
sends per second of all processes together, the most sends in any one second (Meta's limit
is on that), and what one slot costs (the Lua script's round trip to Redis), with the
machine's load beside them.
"""

import argparse
import asyncio
import multiprocessing
import os
import statistics
import time
import uuid

import redis.asyncio as redis

from atiende.channels.whatsapp.throttle import LocalThrottle, RedisThrottle, Throttle
from tests.services import REDIS_URL

NUMBER = "1234567890"


async def _send(
    shared: bool, rate: float, start: float, seconds: float, namespace: str
) -> dict[str, list[float]]:
    client = redis.from_url(REDIS_URL) if shared else None
    throttle: Throttle = (
        RedisThrottle(client, rate, namespace=namespace) if client else LocalThrottle(rate)
    )
    sent: list[float] = []
    slots: list[float] = []
    costs: list[float] = []
    # Every process begins at the same moment, whenever its interpreter finished starting.
    await asyncio.sleep(max(0.0, start - time.time()))
    until = start + seconds
    try:
        while True:
            started = time.perf_counter()
            slot = await throttle.reserve(NUMBER)
            costs.append(time.perf_counter() - started)
            await asyncio.sleep(slot.wait)
            now = time.time()
            if now >= until:
                break
            sent.append(now)
            slots.append(slot.at)
    finally:
        if client is not None:
            await client.aclose()
    return {"sent": sent, "slots": slots, "costs": costs}


def _process(
    shared: bool, rate: float, start: float, seconds: float, namespace: str
) -> dict[str, list[float]]:
    return asyncio.run(_send(shared, rate, start, seconds, namespace))


def _most_in_a_second(times: list[float]) -> int:
    ordered = sorted(times)
    most, start = 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def _run(shared: bool, processes: int, rate: float, seconds: float) -> None:
    namespace = f"bench-{uuid.uuid4().hex}"
    start = time.time() + 5
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.starmap(_process, [(shared, rate, start, seconds, namespace)] * processes)
    sent = [t for r in results for t in r["sent"]]
    slots = [t for r in results for t in r["slots"]]
    costs = sorted(c for r in results for c in r["costs"])
    label = "shared (Redis)" if shared else "each process alone"
    # A slot is when the throttle let a send go; the send leaves when its process wakes,
    # later by however busy the machine is.
    print(
        f"{label:>20}: {processes} processes, {len(sent)} sends in {seconds:.0f} s ="
        f" {len(sent) / seconds:.1f}/s together; most in any second: slots"
        f" {_most_in_a_second(slots)}, sends {_most_in_a_second(sent)} (limit {rate:.0f});"
        " a slot costs p50"
        f" {statistics.median(costs) * 1000:.2f} ms, p99"
        f" {costs[int(len(costs) * 0.99)] * 1000:.2f} ms; load {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--rate", type=float, default=80.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    for shared in (True, False):
        _run(shared, args.processes, args.rate, args.seconds)


if __name__ == "__main__":
    main()
