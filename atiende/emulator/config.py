"""What the emulator pretends to be: one business number and the customers who write to it."""

from dataclasses import dataclass, field

from atiende.emulator.retry import META_RETRY_WINDOW_SECONDS, RetryPolicy


@dataclass(frozen=True)
class Customer:
    """A WhatsApp user the phone page can play.

    `phone` is None for a user who adopted a username and withholds his number: Meta then
    names him only by his business-scoped user id (BSUID).
    """

    key: str
    name: str
    bsuid: str
    phone: str | None = None
    username: str | None = None


def demo_customers() -> list[Customer]:
    return [
        Customer(
            key="maria",
            name="María González",
            phone="5215512345678",
            bsuid="MX.48210937561028374650",
        ),
        Customer(
            key="juan",
            name="Juan Pérez",
            phone="573001234567",
            bsuid="CO.70318264519037281465",
        ),
        Customer(
            key="ana",
            name="Ana Ruiz",
            bsuid="AR.13491208655302741918",
            username="ana.ruiz",
        ),
        Customer(
            key="carlos",
            name="Carlos Méndez",
            phone="56912345678",
            bsuid="CL.90215738461027365512",
            username="carlos.mendez",
        ),
        Customer(
            key="lucia",
            name="Lucía Fernández",
            phone="51987654321",
            bsuid="PE.26481035792046183370",
        ),
    ]


@dataclass
class EmulatorConfig:
    app_webhook_url: str
    app_secret: str
    access_token: str
    phone_number_id: str
    display_phone_number: str
    waba_id: str
    graph_version: str = "v23.0"
    # What `GET /{phone-number-id}` says of the number besides its id and display number.
    verified_name: str = "atiende demo"
    quality_rating: str = "GREEN"
    code_verification_status: str = "VERIFIED"
    customers: list[Customer] = field(default_factory=demo_customers)
    # Pause before each of `sent` and `delivered`: long enough for a person to see the ticks
    # change, short enough for tests.
    status_delay_seconds: float = 0.3
    # Meta retries a webhook the app did not answer 200 for up to 7 days (delivery.py); a test
    # or a training session compresses that schedule with `retry_time_scale`.
    retry_base_seconds: float = 1.0
    retry_max_seconds: float = 3600.0
    retry_window_seconds: float = META_RETRY_WINDOW_SECONDS
    retry_time_scale: float = 1.0
    webhook_timeout_seconds: float = 10.0
    # Meta refuses free-form messages more than 24 h after the customer last wrote (131047).
    enforce_window: bool = True
    # A `timeout` fault holds its request this long (or until the faults are cleared).
    fault_hold_seconds: float = 30.0
    # With statuses reordered, `delivered` waits this long for the customer to read first.
    reorder_hold_seconds: float = 3.0
    # Meta fetches media sent by `link`; a link that does not answer in time fails (131053).
    link_timeout_seconds: float = 10.0

    def __post_init__(self) -> None:
        for attribute in ("key", "bsuid", "phone"):
            values = [getattr(c, attribute) for c in self.customers]
            present = [v for v in values if v is not None]
            if len(present) != len(set(present)):
                raise ValueError(f"two emulator customers share a {attribute}")
        if not 0 < self.retry_time_scale <= 1:
            raise ValueError("retry_time_scale must be in (0, 1]")

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            self.retry_base_seconds,
            self.retry_max_seconds,
            self.retry_window_seconds,
            self.retry_time_scale,
        )

    def customer(self, key: str) -> Customer | None:
        return next((c for c in self.customers if c.key == key), None)
