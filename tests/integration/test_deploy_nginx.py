"""The sample proxy configuration (deploy/nginx/atiende.conf) in Debian's nginx, in front of
three app processes on PostgreSQL and Redis: a customer's message reaches an agent with every
leg (webhook, the agent's socket, his HTTP API) through the proxy over TLS."""

import asyncio
import contextlib
import getpass
import os
import re
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import trustme

from tests.live_path import Route, message_reaches_the_agent
from tests.pg import fresh_database
from tests.procs import ROOT, cluster, free_port, run, stop, wait_http
from tests.services import NGINX, REDIS_URL, require_nginx, require_redis

SECRET = "behind-nginx-secret"
SAMPLE = ROOT / "deploy" / "nginx" / "atiende.conf"
PROCESSES = 3


@dataclass(frozen=True)
class Proxy:
    https: str
    http: str
    tls: ssl.SSLContext
    access_log: Path


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    with fresh_database("atiende_nginx") as url:
        yield url


def _replace(pattern: str, new: str, text: str, count: int = 1) -> str:
    """The sample's lines a site changes: each must be there, or the sample changed shape."""
    result, found = re.subn(pattern, new, text, flags=re.MULTILINE)
    assert found == count, f"{SAMPLE}: {pattern!r} found {found} times, expected {count}"
    return result


def render_site(apps: list[str], https_port: int, http_port: int, cert: Path, key: Path) -> str:
    """The sample with this machine's processes, ports and certificate; nothing else."""
    text = SAMPLE.read_text()
    servers = "".join(f"    server {app.removeprefix('http://')};\n" for app in apps)
    text = _replace(r"^(    server 127\.0\.0\.1:\d+;\n)+", servers, text)
    text = _replace(r"^    listen 80;$", f"    listen 127.0.0.1:{http_port};", text)
    text = _replace(
        r"^    listen 443 ssl http2;$", f"    listen 127.0.0.1:{https_port} ssl http2;", text
    )
    # No IPv6 needed (nor perhaps available) for a test on loopback.
    text = _replace(r"^    listen \[::\]:.*\n", "", text, count=2)
    text = _replace(r"^(\s*ssl_certificate)\s+\S+;$", rf"\1 {cert};", text)
    return _replace(r"^(\s*ssl_certificate_key)\s+\S+;$", rf"\1 {key};", text)


def main_config(prefix: Path, site: Path) -> str:
    """What /etc/nginx/nginx.conf gives a site, in a folder of the test's own. The access log
    names the process that served each request."""
    # As root, nginx's workers would run as nobody, who cannot enter pytest's folders.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
{user}
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {prefix / "access.log"} upstreams;
{temp}
    include {site};
}}
"""


@contextlib.contextmanager
def nginx(apps: list[str], prefix: Path) -> Iterator[Proxy]:
    prefix.mkdir()
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1")
    cert, key = prefix / "cert.pem", prefix / "key.pem"
    cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(key))
    https_port, http_port = free_port(), free_port()
    site = prefix / "atiende.conf"
    site.write_text(render_site(apps, https_port, http_port, cert, key))
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site))
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, f"the sample does not load:\n{checked.stderr}"
    tls = ssl.create_default_context()
    ca.configure_trust(tls)
    log = prefix / "nginx.out"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        https = f"https://127.0.0.1:{https_port}"
        wait_http(f"{https}/healthz", proc, log, timeout=30, verify=tls)
        yield Proxy(https, f"http://127.0.0.1:{http_port}", tls, prefix / "access.log")
    finally:
        stop(proc)


def served_by(access_log: Path, method: str, path: str) -> set[str]:
    """The processes nginx passed these requests to. A socket's line is written when it
    closes, so it may come a moment after the test closed it."""
    deadline = time.monotonic() + 10
    while True:
        found = {
            fields[3]
            for fields in (line.split() for line in access_log.read_text().splitlines())
            if fields[:2] == [method, path]
        }
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


async def test_a_message_reaches_an_agent_through_nginx_in_front_of_three_processes(
    fresh_postgres: str, tmp_path: Path
) -> None:
    require_nginx()
    require_redis()
    env = {"ATIENDE_DATABASE_URL": fresh_postgres, "ATIENDE_REDIS_URL": REDIS_URL}
    await asyncio.to_thread(run, ["demo", "--seed-only", "--app-secret", SECRET], env)
    with cluster(PROCESSES, env, tmp_path) as apps, nginx(apps, tmp_path / "nginx") as proxy:
        async with httpx.AsyncClient() as plain:
            moved = await plain.get(f"{proxy.http}/api/agent/attentions?x=1")
        assert moved.status_code == 301
        assert moved.headers["location"] == "https://127.0.0.1/api/agent/attentions?x=1"

        # The page the panel runs in is the proxy's address: its Origin matches the Host
        # nginx passes on, so the process accepts the socket.
        wss = proxy.https.replace("https://", "wss://")
        route = Route(
            webhook=proxy.https,
            api=proxy.https,
            socket=f"{wss}/api/ws",
            tls=proxy.tls,
            origin=proxy.https,
        )
        await message_reaches_the_agent(route, SECRET)

        # least_conn: the process that holds the agent's socket is the busiest, so the
        # webhook went to another one and the event crossed processes through Redis.
        processes = {app.removeprefix("http://") for app in apps}
        socket_on = served_by(proxy.access_log, "GET", "/api/ws")
        webhook_on = served_by(proxy.access_log, "POST", "/webhooks/whatsapp")
        assert len(socket_on) == 1 and socket_on <= processes
        assert len(webhook_on) == 1 and webhook_on <= processes
        assert socket_on != webhook_on

        # Bodies: 1 MB on any route, as the app's default; the upload routes allow more.
        async with httpx.AsyncClient(base_url=proxy.https, verify=proxy.tls) as anyone:
            big = b"x" * (2 * 1024 * 1024)
            assert (await anyone.post("/api/auth/login", content=big)).status_code == 413
            for upload in ("/api/attentions/1/media", "/api/campaigns/1/base-imports"):
                answer = await anyone.post(upload, content=big)
                assert answer.status_code == 401, f"{upload}: {answer.status_code}"
