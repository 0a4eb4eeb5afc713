"""How the processes the CLI starts log: one format, secrets masked, no request URLs."""

import logging

from atiende import redact

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Access lines carry query strings (the webhook handshake's verify token).
ACCESS_LOGGER = "uvicorn.access"
# httpx logs every request's URL at INFO; Meta's media URLs work as bearer credentials
# until they expire.
CLIENT_LOGGERS = ("httpx", "httpcore")
WEBHOOK_PATH = "/webhooks/whatsapp"


class QuietDeliveries(logging.Filter):
    """No access line for a webhook delivery answered 200: Meta sends thousands a second at
    peak, and `atiende_webhook_deliveries_total` counts them. A refused or failed one is
    still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn's access record: (client, method, path with query, HTTP version, status).
        return not (
            isinstance(args, tuple)
            and len(args) == 5
            and args[4] == 200
            and args[1] == "POST"
            and args[2] == WEBHOOK_PATH
        )


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        redact.install(handler)
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, QuietDeliveries) for f in access.filters):
        # First: a line dropped is not masked in vain.
        access.filters.insert(0, QuietDeliveries())
    # On the logger as well as on the root's handlers: a logger's filters survive the
    # dictConfig a uvicorn.Config with a log_config runs, its handlers do not.
    redact.install(logging.getLogger(ACCESS_LOGGER))
    for name in CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
