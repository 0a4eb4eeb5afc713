"""The summary reports as exports (`actions/exports.py` sources): the same rows as the pages,
a keyset batch at a time, with headers in the supervisor's language. Durations are seconds
(numbers a spreadsheet adds up); days are `YYYY-MM-DD` in his zone."""

from typing import Any

from sqlalchemy import func, select

from atiende.actions import agent_states_report as states
from atiende.actions import attentions_summary as summary
from atiende.actions import message_prices
from atiende.actions.exports import Row
from atiende.actions.summary_reports import Window, agent_scope, summary_scope
from atiende.actions.work import Work
from atiende.db.models import CampaignMember, User
from atiende.domain.kinds import Role

_SUMMARY = {
    "es": [
        "Día",
        "Campaña",
        "Recibidas",
        "Respondidas",
        "Cerradas",
        "Abiertas",
        "Reasignadas",
        "Huérfanas",
        "Transferidas",
        "Mensajes recibidos",
        "Mensajes enviados",
        "Primera respuesta prom. (s)",
        "Espera prom. (s)",
        "Gestión prom. (s)",
    ],
    "en": [
        "Day",
        "Campaign",
        "Received",
        "Answered",
        "Closed",
        "Open",
        "Reassigned",
        "Orphaned",
        "Transferred",
        "Messages in",
        "Messages out",
        "Avg. first response (s)",
        "Avg. wait (s)",
        "Avg. handle (s)",
    ],
}
_BILLABLE = {"es": "Facturables {}", "en": "Billable {}"}
_UNPRICED = {"es": "Facturables sin precio", "en": "Billable without a price"}
_COST = {"es": "Costo ({})", "en": "Cost ({})"}

_STATES = {
    "es": ["Agente", "Día", "Conectado (s)", "Disponible (s)", "En pausa (s)"],
    "en": ["Agent", "Day", "Logged in (s)", "Available (s)", "Paused (s)"],
}
_REASON = {"es": "Pausa: {} (s)", "en": "Pause: {} (s)"}
_OTHER_REASON = {"es": "Pausa: otros (s)", "en": "Pause: others (s)"}
_STATES_TAIL = {
    "es": ["Desconectado (s)", "Atenciones", "Gestión prom. (s)"],
    "en": ["Offline (s)", "Attentions", "Avg. handle (s)"],
}


class SummarySource:
    def __init__(self, window: Window, lang: str) -> None:
        self.window = window
        self.lang = lang if lang in _SUMMARY else "es"
        self.currency: str | None = None

    async def header(self, w: Work) -> list[str]:
        prices = await message_prices.current(w)
        self.currency = next(iter(prices.values())).currency if prices else None
        billable = [_BILLABLE[self.lang].format(c) for c in [*summary.CATEGORIES, "other"]]
        return [
            *_SUMMARY[self.lang],
            *billable,
            _UNPRICED[self.lang],
            _COST[self.lang].format(self.currency or "-"),
        ]

    async def count(self, w: Work) -> int:
        return await summary.count(w, summary_scope(self.window, w.dialect))

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[Row], Any]:
        rows, nxt = await summary.summary(w, summary_scope(self.window, w.dialect), after, size)
        out: list[Row] = [
            [
                r.day.isoformat(),
                r.campaign,
                r.received,
                r.answered,
                r.closed,
                r.still_open,
                r.reassigned,
                r.orphaned,
                r.transferred,
                r.messages_in,
                r.messages_out,
                r.avg_first_response_seconds,
                r.avg_wait_seconds,
                r.avg_handle_seconds,
                *[r.billable.get(c, 0) for c in [*summary.CATEGORIES, "other"]],
                r.unpriced_billable,
                float(message_prices.from_micros(r.cost_micros)) if self.currency else None,
            ]
            for r in rows
        ]
        return out, nxt


class AgentStatesSource:
    def __init__(self, window: Window, lang: str) -> None:
        self.window = window
        self.lang = lang if lang in _STATES else "es"
        self.reasons: list[str] = []

    async def header(self, w: Work) -> list[str]:
        self.reasons = await states.pause_reason_names(w)
        return [
            *_STATES[self.lang],
            *[_REASON[self.lang].format(r) for r in self.reasons],
            _OTHER_REASON[self.lang],
            *_STATES_TAIL[self.lang],
        ]

    async def count(self, w: Work) -> int:
        """At most a row per agent and day (days without activity are left out): the
        progress may finish early, never run past 100 %."""
        scope = agent_scope(self.window, w.dialect)
        q = select(func.count()).select_from(User).where(User.role == Role.AGENT)
        if scope.agent_id is not None:
            q = q.where(User.id == scope.agent_id)
        if scope.campaign_id is not None:
            q = q.where(
                User.id.in_(
                    select(CampaignMember.user_id).where(
                        CampaignMember.campaign_id == scope.campaign_id
                    )
                )
            )
        agents = int(await w.session.scalar(q) or 0)
        return agents * len(self.window.days)

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[Row], Any]:
        rows, nxt = await states.agent_days(w, agent_scope(self.window, w.dialect), after, size)
        out: list[Row] = []
        for r in rows:
            known = [round(r.paused_by_reason.get(name, 0.0), 1) for name in self.reasons]
            other = sum(v for k, v in r.paused_by_reason.items() if k not in self.reasons)
            out.append(
                [
                    r.agent,
                    r.day.isoformat(),
                    round(r.logged_in_seconds, 1),
                    round(r.available_seconds, 1),
                    round(r.paused_seconds, 1),
                    *known,
                    round(other, 1),
                    round(r.offline_seconds, 1),
                    r.handled,
                    r.avg_handle_seconds,
                ]
            )
        return out, nxt
