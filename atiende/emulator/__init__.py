"""A stand-in for Meta's WhatsApp Cloud API: Graph endpoints, signed webhooks, a phone page."""

from atiende.emulator.app import create_app
from atiende.emulator.config import Customer, EmulatorConfig, demo_customers

__all__ = ["Customer", "EmulatorConfig", "create_app", "demo_customers"]
