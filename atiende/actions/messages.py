"""Reading an attention's messages (sending them is `messaging`)."""

from sqlalchemy import select

from atiende.actions import notify
from atiende.actions.access import access_attention
from atiende.actions.work import Work
from atiende.db.models import Message, User
from atiende.schemas.messages import MessageOut


async def messages_of(
    w: Work,
    user: User,
    attention_id: int,
    after_id: int | None,
    before_id: int | None = None,
    limit: int | None = None,
) -> tuple[list[MessageOut], bool]:
    """The visible messages, oldest first; after `after_id` when the client has some.

    With `limit`, only the newest `limit` of them (before `before_id`, paging back through a
    long conversation), and whether older ones remain."""
    await access_attention(w, user, attention_id)
    query = select(Message).where(Message.attention_id == attention_id, Message.hidden.is_(False))
    if after_id is not None:
        query = query.where(Message.id > after_id)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    if limit is None:
        rows = list((await w.session.scalars(query.order_by(Message.id))).all())
        return await notify.messages_out(w, rows), False
    newest = list(
        (await w.session.scalars(query.order_by(Message.id.desc()).limit(limit + 1))).all()
    )
    more = len(newest) > limit
    return await notify.messages_out(w, newest[:limit][::-1]), more
