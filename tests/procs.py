"""Real server processes for tests that need them: the app, the demo, the emulator."""

import contextlib
import itertools
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.keys import SECRET_KEY
from tests.services import worker_index

ROOT = Path(__file__).resolve().parent.parent
ATIENDE = [sys.executable, "-m", "atiende.cli"]


def _environment(env: dict[str, str]) -> dict[str, str]:
    # The test's key unless it gives its own: a process never falls back to data/secret.key.
    return {**os.environ, "ATIENDE_SECRET_KEY": SECRET_KEY, **env}


# Ports for the servers tests start, below the kernel's ephemeral range (32768-60999 here)
# so no outgoing connection's port can take one between its choice and the server's bind,
# and a band of them per pytest-xdist worker, so two workers never choose the same one.
PORTS_FROM = 20_000
PORTS_PER_WORKER = 500
_ports = itertools.count()


def free_port() -> int:
    band = PORTS_FROM + (worker_index() % 24) * PORTS_PER_WORKER
    for _ in range(PORTS_PER_WORKER):
        port = band + next(_ports) % PORTS_PER_WORKER
        with socket.socket() as s, contextlib.suppress(OSError):
            s.bind(("127.0.0.1", port))
            return port
    raise RuntimeError(f"no free port in {band}-{band + PORTS_PER_WORKER - 1}")


# Long enough for a machine busy with other work: a process that died is reported at once,
# so only a slow start waits this long.
READY_SECONDS = 240.0


def wait_http(
    url: str,
    proc: subprocess.Popen[bytes],
    log: Path,
    timeout: float = READY_SECONDS,
    verify: ssl.SSLContext | bool = True,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited {proc.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2, verify=verify).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s:\n{log.read_text()}")


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*ATIENDE, *args],
        env=_environment(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"atiende {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def serving(
    args: list[str], env: dict[str, str], health: list[str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `atiende ARGS`, wait until every health URL answers, stop it afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*ATIENDE, *args],
            env=_environment(env),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for url in health:
                wait_http(url, proc, log)
            yield proc
        finally:
            stop(proc)


# What `atiende worker` logs once its loops run (subscribed to the bus, if there is one).
WORKER_READY = b"atiende worker running"


@contextlib.contextmanager
def working(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Start `atiende worker`, wait until its loops run, stop it afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*ATIENDE, "worker"],
            env=_environment(env),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + READY_SECONDS
        while WORKER_READY not in log.read_bytes():
            if proc.poll() is not None:
                raise RuntimeError(f"atiende worker exited {proc.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"atiende worker did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def cluster(count: int, env: dict[str, str], logs: Path) -> Iterator[list[str]]:
    """`count` app processes (`atiende serve`) on one database, started together."""
    ports = [free_port() for _ in range(count)]
    procs: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for i, port in enumerate(ports):
            log = logs / f"app-{i}.log"
            out = log.open("wb")
            proc = subprocess.Popen(
                [*ATIENDE, "serve", "--port", str(port)],
                env=_environment(env),
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            out.close()
            procs.append((proc, log))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for (proc, log), url in zip(procs, urls, strict=True):
            wait_http(f"{url}/healthz", proc, log)
        yield urls
    finally:
        for proc, _ in procs:
            stop(proc)
