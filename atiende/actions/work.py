"""The unit of work every action runs in: one transaction plus the events it will publish."""

from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import get_history

from atiende.db.models import Attention, Campaign, CampaignMember, User
from atiende.realtime.events import ALL_SESSIONS, Envelope, Event


@dataclass
class Work:
    session: AsyncSession
    envelopes: list[Envelope] = field(default_factory=list)
    wake_outbox: bool = False
    wake_routing: bool = False
    wake_media: bool = False
    # A channel was created or edited: every process forgets the app secrets it knew.
    channels_changed: bool = False
    # Read receipts to send to WhatsApp once committed: (channel id, wamid, typing).
    receipts: list[tuple[int, str, bool]] = field(default_factory=list)
    # The attentions this unit changed: the staff room hears each once, as committed
    # (notify.staff_changes). Collected at every flush, whichever action changed them.
    changed: set[int] = field(default_factory=set)
    # Likewise the users and campaigns whose row on the dashboard changed (a status, a name,
    # a membership or capacity, archived, a service level).
    changed_agents: set[int] = field(default_factory=set)
    changed_campaigns: set[int] = field(default_factory=set)
    # Attentions this unit locked or created and changes only through the session (`hold`):
    # the staff room's event is written from them instead of reading them again. Forgotten
    # at the first statement that changes attentions behind the session's back.
    held: dict[int, Attention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        event.listen(self.session.sync_session, "after_flush", self._collect)
        event.listen(self.session.sync_session, "do_orm_execute", self._executing)

    def hold(self, attention: Attention) -> None:
        """An attention as the database now has it (locked FOR UPDATE, or inserted by this
        unit), so long as only the session changes it."""
        self.held[attention.id] = attention

    def _executing(self, state: ORMExecuteState) -> None:
        if not self.held or state.is_select or state.is_insert:
            return
        mappers = state.all_mappers
        if not mappers or any(m.class_ is Attention for m in mappers):
            # An UPDATE or DELETE of attentions (or a statement the ORM cannot see into) may
            # have changed a held attention's row without its object knowing.
            self.held.clear()

    def _collect(self, session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty):
            if isinstance(obj, Attention) and (obj in session.new or session.is_modified(obj)):
                self.changed.add(obj.id)
            elif isinstance(obj, User) and (obj in session.new or _changed(obj, _AGENT_SHOWN)):
                self.changed_agents.add(obj.id)
            elif isinstance(obj, Campaign) and (
                obj in session.new or _changed(obj, _CAMPAIGN_SHOWN)
            ):
                self.changed_campaigns.add(obj.id)
            elif isinstance(obj, CampaignMember) and (
                obj in session.new or session.is_modified(obj)
            ):
                self.changed_agents.add(obj.user_id)
        for obj in session.deleted:
            if isinstance(obj, CampaignMember):
                self.changed_agents.add(obj.user_id)

    @property
    def dialect(self) -> str:
        """The database's ("sqlite", "postgresql"): for the few queries each writes its way."""
        return self.session.get_bind().dialect.name

    def touched(self, attention_id: int) -> None:
        """An attention changed by a statement the session does not track (a bulk update)."""
        self.changed.add(attention_id)

    def agent_changed(self, user_id: int) -> None:
        """A user's dashboard row changed by a statement the session does not track."""
        self.changed_agents.add(user_id)

    def notify(self, event: Event, recipients: Iterable[int]) -> None:
        """Queue an event for these users; sent only if the transaction commits."""
        users = sorted(set(recipients))
        if users:
            self.envelopes.append(Envelope(recipients=users, event=event))

    def notify_staff(self, event: Event) -> None:
        """Queue an event for every supervisor's and admin's socket; never an agent's."""
        self.envelopes.append(Envelope(recipients=[], event=event, staff=True))

    def notify_encoded(self, text: str, recipients: Iterable[int], *, staff: bool = False) -> None:
        """`notify` (or `notify_staff`) of an event its caller encoded already: exactly the
        schema's JSON (see realtime/attention_events.py)."""
        users = sorted(set(recipients))
        if users or staff:
            self.envelopes.append(Envelope(recipients=users, text=text, staff=staff))

    def close_sockets(self, user_id: int, session_ids: Iterable[str] | None = None) -> None:
        """Close these sessions' sockets (all of the user's without `session_ids`) on every
        process, once the transaction that ended them commits."""
        ids = sorted(session_ids) if session_ids is not None else [ALL_SESSIONS]
        self.envelopes.append(Envelope(recipients=[user_id], close_sessions=ids))


# What the dashboard shows of each (schemas/dashboard.py LiveAgent, LiveCampaign): a change of
# anything else (a heartbeat, a routing setting) is no staff room event.
_AGENT_SHOWN = (
    "display_name",
    "role",
    "active",
    "status",
    "status_changed_at",
    "pause_reason",
    "capacity",
)
_CAMPAIGN_SHOWN = ("name", "archived_at", "service_level_seconds", "service_level_target")


def _changed(obj: User | Campaign, shown: tuple[str, ...]) -> bool:
    return any(get_history(obj, key).has_changes() for key in shown)


# A new unit of work per call: for actions that run several short transactions.
WorkFactory = Callable[[], AbstractAsyncContextManager[Work]]
