"""How a customer is named to an agent: name, else username, else number (SPEC §1)."""


def display_name(name: str | None, username: str | None, phone: str | None) -> str:
    if name:
        return name
    if username:
        return f"@{username}"
    if phone:
        return f"+{phone}"
    return "Cliente sin nombre"
