"""The models' CHECK constraints are built from the enums the code compares against."""

from atiende.db.models import Attention, User, one_of
from atiende.domain.kinds import Role
from atiende.domain.states import HOLDS_SLOT, State


def _checks(table: object) -> dict[str, str]:
    constraints = table.constraints  # type: ignore[attr-defined]
    return {str(c.name): str(c.sqltext) for c in constraints if hasattr(c, "sqltext")}


def test_the_check_text_is_the_enum_in_order() -> None:
    assert one_of("role", Role) == "role IN ('agent', 'supervisor', 'admin')"
    assert _checks(User.__table__)["ck_users_role"] == one_of("role", Role)


def test_the_attention_checks_kept_the_text_of_the_migrations() -> None:
    checks = _checks(Attention.__table__)
    assert checks["ck_attentions_state"] == "state IN ('queued', 'assigned', 'open', 'closed')"
    assert checks["ck_attentions_agent_when_held"] == (
        "(state IN ('assigned', 'open')) = (agent_id IS NOT NULL) OR state = 'closed'"
    )
    assert set(HOLDS_SLOT) < set(State)
