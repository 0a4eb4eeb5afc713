"""A customer with many earlier attentions: how long a *Historial* page takes, near the
newest and near the oldest, and how many SQL statements one page costs.

    .venv/bin/python -m bench.history --attentions 1000 --repeat 50 [--postgres]

Seeds the demo (SQLite in a temporary folder, or a fresh PostgreSQL database `test` can
create), adds one customer with `--attentions` closed attentions (each transferred once, so
two segments, with three messages and a submitted form), then asks the API, in process, as the
supervisor, for the first page and for the page before the 20 oldest. Keyset pages on
(customer_id, id): the deep page should cost what the first one does.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from pydantic import SecretStr

from atiende.api.app import create_app
from atiende.config import Settings
from atiende.runtime import Runtime
from tests.history_seed import counting, seed
from tests.keys import SECRET_KEY
from tests.pg import fresh_database
from tests.procs import run


def percentiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=100)
    return f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms"


async def measure(url: str, n: int, repeat: int, folder: Path) -> None:
    settings = Settings(
        database_url=url, media_dir=folder / "media", secret_key=SecretStr(SECRET_KEY)
    )
    app = create_app(settings, run_workers=False)
    async with app.router.lifespan_context(app):
        rt: Runtime = app.state.runtime
        customer_id = await seed(rt, n)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app.localhost") as c:
            login = await c.post(
                "/api/auth/login", json={"username": "supervisor", "password": "supervisor"}
            )
            login.raise_for_status()
            path = f"/api/customers/{customer_id}/attentions"
            newest = (await c.get(path, params={"limit": 1})).json()["items"][0]["id"]
            # The seeded ids are consecutive: this cursor leaves the 20 oldest.
            deep_before = newest - n + 21
            for name, query in (("first page", {}), ("deep page", {"before_id": deep_before})):
                timings = []
                with counting(rt) as statements:
                    (await c.get(path, params=query)).raise_for_status()
                for _ in range(repeat):
                    started = time.perf_counter()
                    answer = await c.get(path, params=query)
                    timings.append((time.perf_counter() - started) * 1000)
                    answer.raise_for_status()
                items = len(answer.json()["items"])
                print(
                    f"{name}: {items} items, {percentiles(timings)}, "
                    f"{len(statements)} SQL statements per page"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--attentions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="atiende-bench-history-"))
    if args.postgres:
        with fresh_database("atiende_bench_history") as url:
            run(["demo", "--seed-only"], {"ATIENDE_DATABASE_URL": url})
            asyncio.run(measure(url, args.attentions, args.repeat, folder))
        return
    url = f"sqlite+aiosqlite:///{folder / 'demo.db'}"
    run(["demo", "--seed-only"], {"ATIENDE_DATABASE_URL": url})
    asyncio.run(measure(url, args.attentions, args.repeat, folder))


if __name__ == "__main__":
    main()
