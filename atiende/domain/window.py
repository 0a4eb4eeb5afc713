"""WhatsApp's customer-service window: free-form replies only within 24 h of the customer."""

from datetime import datetime, timedelta

WINDOW = timedelta(hours=24)


def window_end(last_customer_message_at: datetime) -> datetime:
    return last_customer_message_at + WINDOW


def is_open(window_ends_at: datetime | None, now: datetime) -> bool:
    return window_ends_at is not None and now < window_ends_at
