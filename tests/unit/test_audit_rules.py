"""What an audit row keeps, and the rules of an account as an admin writes it."""

from atiende.domain.audit import MASK, diff, masked
from atiende.domain.users import name_problem, password_problem, username_problem


def test_only_changed_fields_are_kept_and_secrets_are_masked() -> None:
    before = masked({"role": "agent", "display_name": "Ana", "app_secret": "old"})
    after = masked({"role": "supervisor", "display_name": "Ana", "app_secret": "new"})
    assert diff(before, after) == {"app_secret": [MASK, MASK], "role": ["agent", "supervisor"]}
    assert diff({}, masked({"password": "x"})) == {"password": [None, MASK]}
    assert diff({"a": 1}, {"a": 1}) == {}


def test_username_password_and_name_rules() -> None:
    assert username_problem("lucia.r") is None
    for bad in ("Lucia", "ab", "con espacio", ".punto", "x" * 41):
        problem = username_problem(bad)
        assert problem is not None and problem.code == "username_format", bad
    assert password_problem("1234567") is not None
    assert password_problem("12345678") is None
    problem = name_problem("   ")
    assert problem is not None and problem.code == "required"
