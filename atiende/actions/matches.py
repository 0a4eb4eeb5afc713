"""Coincidencia: the records of the attention's campaign's bases that are this customer,
by phone or by a search over every column, and the one the agent links to the attention.

An agent reaches these only through an attention he holds, so he sees the bases of the
campaigns he serves now and no other; supervisors read them for any attention."""

from sqlalchemy import Select, and_, or_, select

from atiende.actions import notify, versions
from atiende.actions.access import access_attention, is_staff
from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionMatch, BaseRecord, CustomerBase, User
from atiende.db.types import utcnow
from atiende.domain.base_rows import fold
from atiende.domain.errors import Forbidden, NotFound
from atiende.domain.phones import search_phone, wa_id_e164
from atiende.schemas.bases import LinkedRecord, MatchesOut, RecordOut

SHOWN = 25
_MAX_WORDS = 6


async def access_serving(w: Work, user: User, attention_id: int) -> Attention:
    """The attention if the user holds it (an agent) or supervises (staff)."""
    attention = await access_attention(w, user, attention_id)
    if not is_staff(user) and attention.agent_id != user.id:
        raise Forbidden("read_only_attended", "Esta atención ya no es suya: solo lectura.")
    return attention


async def matches(w: Work, user: User, attention_id: int) -> MatchesOut:
    attention = await access_serving(w, user, attention_id)
    phone = wa_id_e164(attention.customer.phone)
    bases = await w.session.scalars(
        select(CustomerBase.id).where(CustomerBase.campaign_id == attention.campaign_id)
    )
    records = (
        await _records(_in_campaign(attention).where(BaseRecord.phone == phone), w) if phone else []
    )
    return MatchesOut(
        phone=phone,
        bases=len(list(bases)),
        records=records,
        linked=LinkedRecord.of(attention.match) if attention.match else None,
    )


async def search(w: Work, user: User, attention_id: int, query: str) -> list[RecordOut]:
    """Records with every word of `query` in some column (accents and case aside), or whose
    phone is the number `query` spells in the campaign's region."""
    attention = await access_serving(w, user, attention_id)
    words = fold(query).split()[:_MAX_WORDS]
    if not words:
        return []
    wanted = and_(*(BaseRecord.search.contains(word, autoescape=True) for word in words))
    phone = search_phone(query, attention.campaign.default_region)
    if phone is not None:
        wanted = or_(wanted, BaseRecord.phone == phone)
    return await _records(_in_campaign(attention).where(wanted), w)


async def do_link(w: Work, user: User, attention_id: int, record_id: int) -> Attention:
    attention = await access_attention(w, user, attention_id, write=True)
    found = (
        await w.session.execute(_in_campaign(attention).where(BaseRecord.id == record_id))
    ).one_or_none()
    if found is None:
        raise NotFound("base_record_not_found", "El registro no está en las bases de la campaña.")
    record, base = found
    link = await w.session.get(AttentionMatch, attention.id) or AttentionMatch(
        attention_id=attention.id
    )
    link.record_id, link.base_id, link.base_name = record.id, base.id, base.name
    link.key, link.phone, link.name, link.fields = (
        record.key,
        record.phone,
        record.name,
        record.fields,
    )
    link.linked_by_id, link.linked_at = user.id, utcnow()
    w.session.add(link)
    await w.session.flush()
    return await _changed(w, attention)


async def do_unlink(w: Work, user: User, attention_id: int) -> Attention:
    attention = await access_attention(w, user, attention_id, write=True)
    link = await w.session.get(AttentionMatch, attention.id)
    if link is not None:
        await w.session.delete(link)
        await w.session.flush()
    return await _changed(w, attention)


async def _changed(w: Work, attention: Attention) -> Attention:
    versions.bump(attention)
    await w.session.flush()
    await w.session.refresh(attention, ["match"])
    notify.attention_changed(w, attention)
    return attention


def _in_campaign(attention: Attention) -> Select[BaseRecord, CustomerBase]:
    return (
        select(BaseRecord, CustomerBase)
        .join(CustomerBase, CustomerBase.id == BaseRecord.base_id)
        .where(CustomerBase.campaign_id == attention.campaign_id)
        .order_by(CustomerBase.name, BaseRecord.key)
        .limit(SHOWN)
    )


async def _records(query: Select[BaseRecord, CustomerBase], w: Work) -> list[RecordOut]:
    return [RecordOut.of(record, base) for record, base in await w.session.execute(query)]
