"""How the processes the CLI starts log: one format, secrets masked, no request URLs."""

import logging

from atiende import redact

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Access lines carry query strings (the webhook handshake's verify token).
ACCESS_LOGGER = "uvicorn.access"
# httpx logs every request's URL at INFO; Meta's media URLs work as bearer credentials
# until they expire.
CLIENT_LOGGERS = ("httpx", "httpcore")


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        redact.install(handler)
    # On the logger as well as on the root's handlers: a logger's filters survive the
    # dictConfig a uvicorn.Config with a log_config runs, its handlers do not.
    redact.install(logging.getLogger(ACCESS_LOGGER))
    for name in CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
