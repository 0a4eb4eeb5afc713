"""Password guessing against one `atiende serve`: what it costs everyone else, and how far
the guesser gets.

    .venv/bin/python -m bench.login_guessing --loops 4 --seconds 10

Starts the app on a seeded SQLite demo, samples `/healthz` alone, then again while `--loops`
clients guess `agente1`'s password from distinct addresses (`X-Forwarded-For`, which uvicorn
trusts from loopback) as fast as the answers come. Prints the health check's latency
percentiles in both phases and how many guesses were answered 401 (checked) or 429
(throttled).
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from tests.procs import free_port, run, serving


async def sample_health(client: httpx.AsyncClient, until: float) -> list[float]:
    latencies = []
    while time.monotonic() < until:
        started = time.perf_counter()
        (await client.get("/healthz")).raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.05)
    return latencies


async def guess(client: httpx.AsyncClient, address: str, until: float, seen: Counter[int]) -> None:
    n = 0
    while time.monotonic() < until:
        n += 1
        answer = await client.post(
            "/api/auth/login",
            json={"username": "agente1", "password": f"guess-{n}"},
            headers={"X-Forwarded-For": address},
        )
        seen[answer.status_code] += 1


def percentiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=100)
    return f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, max {max(values):.1f} ms (n={len(values)})"


async def measure(base: str, loops: int, seconds: float) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        quiet = await sample_health(client, time.monotonic() + seconds)
        seen: Counter[int] = Counter()
        until = time.monotonic() + seconds
        busy, _ = await asyncio.gather(
            sample_health(client, until),
            asyncio.gather(
                *(guess(client, f"198.51.100.{i + 1}", until, seen) for i in range(loops))
            ),
        )
    print(f"/healthz alone:                 {percentiles(quiet)}")
    print(f"/healthz with {loops} guessing loops: {percentiles(busy)}")
    print(
        f"guesses in {seconds:.0f} s: {sum(seen.values())}, checked (401) {seen[401]}, "
        f"throttled (429) {seen[429]}, other {sum(seen.values()) - seen[401] - seen[429]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="atiende-bench-login-"))
    env = {
        "ATIENDE_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'demo.db'}",
        "ATIENDE_MEDIA_DIR": str(folder / "media"),
    }
    run(["demo", "--seed-only"], env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serving(["serve", "--port", str(port)], env, [f"{base}/healthz"], folder / "app.log"):
        asyncio.run(measure(base, args.loops, args.seconds))


if __name__ == "__main__":
    main()
