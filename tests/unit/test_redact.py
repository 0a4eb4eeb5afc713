"""Secrets masked in log records: query strings, bearer tokens, URL objects."""

import logging

import httpx

from atiende.redact import RedactFilter, redact

TOKEN = "verify-Zq81xPw"
HANDSHAKE = (
    f"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={TOKEN}&hub.challenge=1158201444"
)


def test_credentials_in_query_strings_are_masked_and_the_rest_kept() -> None:
    assert redact(HANDSHAKE) == (
        "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=***&hub.challenge=1158201444"
    )
    line = "GET /x?access_token=EAAG1&password=hunter2&client_secret=s&csrf_token=c&page=2"
    assert redact(line) == (
        "GET /x?access_token=***&password=***&client_secret=***&csrf_token=***&page=2"
    )
    assert redact("Authorization: Bearer EAAGabc.def") == "Authorization: Bearer ***"


def test_the_filter_keeps_the_arguments_uvicorns_access_formatter_unpacks() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", HANDSHAKE, "1.1", 200),
        None,
    )
    assert RedactFilter().filter(record)
    assert isinstance(record.args, tuple) and len(record.args) == 5
    assert record.args[4] == 200
    assert TOKEN not in record.getMessage()


def test_url_objects_in_arguments_are_masked_too() -> None:
    url = httpx.URL(f"https://lookaside.example/media?mid=1&hash={TOKEN}")
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("GET", url), None
    )
    RedactFilter().filter(record)
    assert TOKEN not in record.getMessage()
