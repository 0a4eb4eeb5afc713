"""Reaching the real services tests need. Under CI=true a missing one fails the test;
elsewhere it is skipped with the reason, never silently."""

import os
import shutil
import socket

import pytest


def worker_index() -> int:
    """Which of pytest-xdist's workers this process is (`gw3` is 3); 0 when run alone."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


PG_ADMIN_URL = os.environ.get("ATIENDE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
# A Redis database per worker: the send throttle and the typing gate key by phone number and
# attention id, which every worker's demo data shares, so one worker's sends would space or
# silence another's. (The bus's channel is already named after the test's own database.)
REDIS_URL = os.environ.get("ATIENDE_TEST_REDIS", f"redis://127.0.0.1:6379/{worker_index() % 16}")
CHROMIUM = os.environ.get("ATIENDE_TEST_CHROMIUM", "/usr/bin/chromium")
NGINX = os.environ.get("ATIENDE_TEST_NGINX", "/usr/sbin/nginx")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(name: str, available: bool) -> None:
    if available:
        return
    message = f"{name} is not reachable"
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing service fails the run)")
    pytest.skip(message)


def require_postgres() -> None:
    require("PostgreSQL on 127.0.0.1:5432", _port_open("127.0.0.1", 5432))


def require_redis() -> None:
    require("Redis on 127.0.0.1:6379", _port_open("127.0.0.1", 6379))


def require_chromium() -> None:
    require(f"Chromium at {CHROMIUM}", shutil.which(CHROMIUM) is not None)


def require_nginx() -> None:
    require(f"nginx at {NGINX} (make test installs it)", shutil.which(NGINX) is not None)
