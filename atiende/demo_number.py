"""The demo channel's WhatsApp number: what `atiende demo` seeds, and what `atiende emulator`
plays by default (its parser reads these without importing the demo's seeding)."""

PHONE_NUMBER_ID = "100200300400500"
# As Meta writes it in webhooks: international digits, no plus (a possible Mexico City number).
DISPLAY_PHONE = "525550001000"
WABA_ID = "200300400500600"
