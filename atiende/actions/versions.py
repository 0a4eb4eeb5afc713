"""The attention's version: every change the clients see raises it, so a client that gets
an older `attention.updated` after a newer one drops it."""

from atiende.db.models import Attention


def bump(attention: Attention) -> None:
    attention.version += 1
