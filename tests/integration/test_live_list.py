"""The supervisors' live list: every attention not closed, with the total, a keyset page at a
time (it used to stop silently at 500)."""

from datetime import timedelta

from sqlalchemy import insert, select

from atiende.db.models import Attention, Campaign, Channel, Customer
from atiende.db.types import utcnow
from tests.integration.conftest import World

ROWS = 1004


async def _seed(world: World) -> dict[str, int]:
    """1,004 queued attentions, some with the same queued time (the id breaks the tie)."""
    async with world.rt.work() as w:
        channel = await w.session.scalar(select(Channel))
        assert channel is not None
        campaigns = {c.name: c.id for c in await w.session.scalars(select(Campaign))}
        start = utcnow() - timedelta(hours=2)
        customers = [
            {"portfolio_id": "p", "phone": f"5100{i:06d}", "name": f"Cliente {i}"}
            for i in range(ROWS)
        ]
        await w.session.execute(insert(Customer), customers)
        ids = list(
            await w.session.scalars(
                select(Customer.id).where(Customer.portfolio_id == "p").order_by(Customer.id)
            )
        )
        await w.session.execute(
            insert(Attention),
            [
                {
                    "channel_id": channel.id,
                    "customer_id": cid,
                    "campaign_id": campaigns["Ventas" if i % 3 else "Soporte"],
                    "state": "queued",
                    "queued_at": start + timedelta(seconds=i // 2),
                }
                for i, cid in enumerate(ids)
            ],
        )
    return campaigns


async def test_every_live_attention_is_reached_page_by_page(world: World) -> None:
    campaigns = await _seed(world)
    supervisor = await world.login("supervisor")
    seen: list[int] = []
    params: dict[str, str | int] = {"limit": 200}
    pages = 0
    while True:
        r = await supervisor.get("/api/supervisor/attentions", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["total"] == ROWS
        seen += [a["id"] for a in body["items"]]
        pages += 1
        if body["next"] is None:
            break
        params = {
            "limit": 200,
            "after_queued_at": body["next"]["queued_at"],
            "after_id": body["next"]["id"],
        }
    assert pages == 6
    assert len(seen) == ROWS == len(set(seen))
    async with world.rt.work() as w:
        expected = list(
            await w.session.scalars(
                select(Attention.id).order_by(Attention.queued_at, Attention.id)
            )
        )
    assert seen == expected

    # A filter keeps its total and its pages.
    soporte = campaigns["Soporte"]
    first = (
        await supervisor.get(
            "/api/supervisor/attentions", params={"campaign_id": soporte, "limit": 100}
        )
    ).json()
    assert first["total"] == (ROWS + 2) // 3 == 335
    assert {a["campaign"]["id"] for a in first["items"]} == {soporte}
    nxt = first["next"]
    rest = (
        await supervisor.get(
            "/api/supervisor/attentions",
            params={
                "campaign_id": soporte,
                "limit": 200,
                "after_queued_at": nxt["queued_at"],
                "after_id": nxt["id"],
            },
        )
    ).json()
    assert rest["total"] == 335 and len(rest["items"]) == 200
    assert first["items"][-1]["id"] < rest["items"][0]["id"]
    none = (await supervisor.get("/api/supervisor/attentions", params={"state": "open"})).json()
    assert none == {"items": [], "total": 0, "next": None}


async def test_a_cursor_needs_both_halves_and_an_aware_time(world: World) -> None:
    supervisor = await world.login("supervisor")
    half = await supervisor.get("/api/supervisor/attentions", params={"after_id": 3})
    assert half.status_code == 422 and half.json()["code"] == "page_cursor"
    naive = await supervisor.get(
        "/api/supervisor/attentions",
        params={"after_id": 3, "after_queued_at": "2026-12-01T10:00:00"},
    )
    assert naive.status_code == 422
    big = await supervisor.get("/api/supervisor/attentions", params={"limit": 201})
    assert big.status_code == 422
