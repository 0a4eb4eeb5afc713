"""`atiende serve | worker | demo | emulator | migrate | import-base | channel create |
user create | secret-key`."""

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atiende import demo_number, logging_setup
from atiende.config import Settings, get_settings
from atiende.db.migrate import upgrade
from atiende.domain.errors import DomainError
from atiende.keyring import SecretKeyError, new_key, provide_key_file, required_keyring
from atiende.private_files import restrict_umask

# Each command imports what it runs, when it runs: the web app, the demo and the workers
# together cost two seconds of CPU to import, which `migrate`, `user create` or a worker
# (each process of a deployment, each start of the tests' servers) need not pay for all.
if TYPE_CHECKING:
    from atiende import demo
    from atiende.schemas.bases import ImportOut

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> None:
    logging_setup.configure()
    args = _parser().parse_args(argv)
    try:
        args.func(args)
    except DomainError as exc:
        # A refusal field by field names each field and what is wrong with it.
        fields = exc.extra.get("errors")
        lines = [f"  {k}: {v}" for k, v in fields.items()] if isinstance(fields, dict) else []
        sys.exit("\n".join([f"error: {exc.message}", *lines]))
    except SecretKeyError as exc:
        sys.exit(f"error: {exc}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atiende", description="WhatsApp contact center")
    sub = parser.add_subparsers(required=True)

    p = sub.add_parser("migrate", help="bring the database to the newest schema")
    p.set_defaults(func=_migrate)

    p = sub.add_parser("serve", help="serve the app (API, agent panel, webhook)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=_serve)

    p = sub.add_parser(
        "worker",
        help="run the background loops without HTTP: the webhook inbox's processor, outbox,"
        " routing, timers, media (beside `serve` with ATIENDE_INBOX_PROCESSOR=off)",
    )
    p.set_defaults(func=_worker)

    p = sub.add_parser("demo", help="seed the demo and serve it with the WhatsApp emulator")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--emulator-port", type=int, default=8001)
    p.add_argument("--app-secret", help="the demo channel's app secret (default: random)")
    p.add_argument("--seed-only", action="store_true", help="seed and print, do not serve")
    p.add_argument(
        "--retry-time-scale",
        type=float,
        default=1.0,
        help="compress Meta's 7-day webhook retry schedule (0.001: 7 days in 10 minutes)",
    )
    p.set_defaults(func=_demo)

    p = sub.add_parser("emulator", help="serve the WhatsApp Cloud API emulator alone")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--app-url", required=True, help="the app's webhook URL")
    p.add_argument("--app-secret", required=True)
    p.add_argument("--access-token", required=True)
    p.add_argument("--phone-number-id", default=demo_number.PHONE_NUMBER_ID)
    p.add_argument("--display-phone", default=demo_number.DISPLAY_PHONE)
    p.add_argument("--waba-id", default=demo_number.WABA_ID)
    p.add_argument(
        "--retry-time-scale",
        type=float,
        default=1.0,
        help="compress Meta's 7-day webhook retry schedule (0.001: 7 days in 10 minutes)",
    )
    p.add_argument(
        "--retry-max-seconds",
        type=_positive_seconds,
        default=3600.0,
        help="longest pause between two retries of a webhook, before the time scale (Meta: 1 h)",
    )
    p.set_defaults(func=_emulator)

    p = sub.add_parser("secret-key", help="print a new key for ATIENDE_SECRET_KEY")
    p.set_defaults(func=_secret_key)

    p = sub.add_parser("import-base", help="import a customer base (CSV or XLSX) into a campaign")
    p.add_argument("file", type=Path)
    p.add_argument("--campaign", required=True, help="campaign name")
    p.add_argument(
        "--base", help="base name (default: the file's name); an existing one is re-imported"
    )
    p.add_argument("--key", required=True, help="the column that identifies a record")
    p.add_argument("--phone", required=True, help="the column with the phone number")
    p.add_argument("--name", dest="name_column", help="the column with the customer's name")
    p.add_argument(
        "--mode",
        choices=("update", "replace"),
        default="update",
        help="re-import: update by key and keep the others, or replace the whole base",
    )
    p.add_argument("--errors", type=Path, help="write the per-row error report (CSV) here")
    p.set_defaults(func=_import_base)

    p = sub.add_parser("audit", help="check counters, states and timelines for consistency")
    p.set_defaults(func=_audit)

    channel = sub.add_parser("channel", help="WhatsApp channels").add_subparsers(required=True)
    p = channel.add_parser("create", help="connect a Cloud API number")
    p.add_argument("--name", required=True)
    p.add_argument("--phone-number-id", required=True)
    p.add_argument("--display-phone", required=True)
    p.add_argument("--access-token", required=True)
    p.add_argument("--app-secret", required=True)
    p.add_argument("--verify-token", required=True)
    p.add_argument("--campaign", required=True, help="entry campaign name (created if missing)")
    p.add_argument("--waba-id", default="")
    p.add_argument("--portfolio-id", default="default")
    p.add_argument("--graph-url", default="https://graph.facebook.com")
    p.add_argument("--graph-version", default="v23.0")
    p.set_defaults(func=_channel_create)

    user = sub.add_parser("user", help="users").add_subparsers(required=True)
    p = user.add_parser("create", help="create a user")
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--role", choices=("agent", "supervisor", "admin"), default="agent")
    p.add_argument("--capacity", type=int, default=3)
    p.add_argument("--campaign", action="append", default=[], help="campaign to join (repeat)")
    p.set_defaults(func=_user_create)
    p = user.add_parser("deactivate", help="no more logins; sessions and sockets closed")
    p.add_argument("--username", required=True)
    p.set_defaults(func=_user_deactivate)
    p = user.add_parser("reactivate", help="let a deactivated user log in again")
    p.add_argument("--username", required=True)
    p.set_defaults(func=_user_reactivate)
    return parser


def _migrate(_args: argparse.Namespace) -> None:
    upgrade(get_settings().database_url)


def _audit(_args: argparse.Namespace) -> None:
    from atiende.actions import audit
    from atiende.runtime import create_runtime

    async def check() -> list[str]:
        rt = create_runtime(get_settings())
        try:
            async with rt.work() as w:
                return await audit.problems(w)
        finally:
            await rt.close()

    found = asyncio.run(check())
    for line in found:
        print(line)
    print(f"{len(found)} problems")
    sys.exit(1 if found else 0)


def _import_base(args: argparse.Namespace) -> None:
    """The supervisor page's import, from a shell: the same checks, the same report."""
    settings = get_settings()
    upgrade(settings.database_url)
    sys.exit(asyncio.run(_run_import(settings, args)))


async def _run_import(settings: Settings, args: argparse.Namespace) -> int:
    from atiende.actions import base_import, bases
    from atiende.domain.base_rows import Mapping
    from atiende.runtime import create_runtime

    rt = create_runtime(settings)
    try:
        async with rt.work() as w:
            name = args.base or args.file.stem
            campaign_id, base_id = await bases.find_target(w, args.campaign, name)
        with args.file.open("rb") as source:
            job = await base_import.do_receive(
                rt.work, None, campaign_id, source, args.file.name, settings.base_files_dir
            )
        async with rt.work() as w:
            mapping = Mapping(tuple(job.columns), args.key, args.phone, args.name_column)
            await base_import.do_start(w, job.id, mapping, base_id, name, args.mode)
        running = asyncio.create_task(base_import.run(rt.work, job.id))
        while not running.done():
            await asyncio.wait([running], timeout=0.5)
            async with rt.work() as w:
                _progress(await bases.import_out(w, job.id))
        async with rt.work() as w:
            out = await bases.import_out(w, job.id)
            report = await bases.error_report(w, job.id, "es") if args.errors else ""
    finally:
        await rt.close()
    if args.errors:
        args.errors.write_text(report, encoding="utf-8")
    return _summary(out, args.errors)


def _progress(out: "ImportOut") -> None:
    total = f"/{out.rows_total}" if out.rows_total else ""
    print(f"\r  {out.rows_read}{total} filas leídas", end="", file=sys.stderr, flush=True)


def _summary(out: "ImportOut", errors: Path | None) -> int:
    from atiende.i18n import error_text

    print(file=sys.stderr)
    if out.state != "done":
        reason = error_text("es", out.failure_code or "", out.failure_params or {})
        print(f"error: {reason or out.failure_code} (no se importó nada)", file=sys.stderr)
        return 1
    print(
        f"base «{out.base_name}»: {out.added} nuevos, {out.updated} actualizados,"
        f" {out.removed} quitados, {out.error_count} filas con error"
    )
    for e in out.errors[:10]:
        reason = error_text("es", f"base_row.{e.reason}", {}) or e.reason
        print(f"  fila {e.row}, {e.column}: {reason} {e.value or ''}".rstrip())
    if errors is not None and out.error_count:
        print(f"informe completo: {errors}")
    return 0


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"a number of seconds above 0, not {text!r}")
    return value


def _secret_key(_args: argparse.Namespace) -> None:
    print(new_key())


# Agents' sockets, thousands per process. No per-message compression: it keeps a zlib
# compressor and decompressor per socket (most of its memory) and compresses every event
# once per socket instead of once; events are small JSON. Nothing an agent sends is large
# (pings): a frame over 64 KiB is refused instead of buffered. uvicorn's sans-I/O protocol,
# extended so the hub writes each event's prebuilt frame to the transport (`realtime/direct`).
def socket_options() -> dict[str, Any]:
    from atiende.realtime.direct import DirectProtocol

    return {"ws": DirectProtocol, "ws_per_message_deflate": False, "ws_max_size": 64 * 1024}


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from atiende import heap
    from atiende.api.app import create_app

    restrict_umask()
    settings = get_settings()
    # Refused now rather than at the first webhook: every channel's secrets need it.
    required_keyring(settings)
    if settings.inbox_processor == "off":
        _require_shared_bus(settings, "ATIENDE_INBOX_PROCESSOR=off")
    upgrade(settings.database_url)
    app = create_app(settings)
    heap.settle()
    # No log_config: uvicorn's records go to the root's handlers, which mask secrets.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        log_config=None,
        **socket_options(),
    )


def _worker(_args: argparse.Namespace) -> None:
    import uvloop

    restrict_umask()
    settings = get_settings()
    required_keyring(settings)
    _require_shared_bus(settings, "atiende worker")
    upgrade(settings.database_url)
    # uvloop, as uvicorn runs `serve`: a batch makes hundreds of round trips to PostgreSQL.
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(_run_workers(settings))


def _require_shared_bus(settings: Settings, what: str) -> None:
    """A worker's events reach the agents' sockets, and the server's commits wake it, only
    through Redis: without it the deliveries would be applied where no socket hears them."""
    if not settings.redis_url:
        sys.exit(
            f"error: {what} needs ATIENDE_REDIS_URL (the worker's events reach the app"
            " processes' sockets through it)"
        )


async def _run_workers(settings: Settings) -> None:
    """Until SIGTERM or SIGINT; the processor's batch under way is finished first."""
    from atiende import heap
    from atiende.runtime import create_runtime
    from atiende.workers import Workers

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    rt = create_runtime(settings)
    await rt.start()
    workers = Workers(rt)
    heap.settle()
    workers.start()
    log.info("atiende worker running (inbox processor, outbox, routing, timers, media)")
    try:
        await stopping.wait()
    finally:
        await workers.stop()
        await rt.close()
    log.info("atiende worker stopped")


def _demo(args: argparse.Namespace) -> None:
    restrict_umask()
    settings = get_settings()
    if provide_key_file(settings):
        print(f"Clave para cifrar los secretos de los canales creada en {settings.secret_key_file}")
    upgrade(settings.database_url)
    emulator_url = f"http://{args.host}:{args.emulator_port}"
    info = asyncio.run(_seed(settings, emulator_url, args.app_secret))
    _print_demo(args, info, emulator_url)
    if not args.seed_only:
        asyncio.run(_serve_demo(settings, args, info))


async def _seed(settings: Settings, emulator_url: str, app_secret: str | None) -> "demo.DemoInfo":
    from atiende import demo
    from atiende.runtime import create_runtime

    rt = create_runtime(settings)
    try:
        async with rt.work() as w:
            info = await demo.seed(w, graph_base_url=emulator_url, app_secret=app_secret)
            await demo.seed_bases(w)
            return info
    finally:
        await rt.close()


def _print_demo(args: argparse.Namespace, info: "demo.DemoInfo", emulator_url: str) -> None:
    from atiende import demo

    app_url = f"http://{args.host}:{args.port}"
    logins = "\n".join(
        f"    {role:<11} {username} / {password}   ({name})"
        for username, password, name, role in demo.USERS
    )
    print(
        f"""
atiende demo
  Panel de agentes (agent panel):   {app_url}/
  Teléfono del emulador (phone):    {emulator_url}/
  Webhook de WhatsApp:              {app_url}/webhooks/whatsapp
  Canal demo: phone_number_id {info.phone_number_id}, número +{info.display_phone_number}
  Usuarios (usuario / contraseña):
{logins}
""",
        flush=True,
    )


async def _serve_demo(settings: Settings, args: argparse.Namespace, info: "demo.DemoInfo") -> None:
    import uvicorn

    from atiende.api.app import create_app
    from atiende.emulator.config import EmulatorConfig
    from atiende.emulator.server import serve as serve_emulator

    config = EmulatorConfig(
        app_webhook_url=f"http://{args.host}:{args.port}/webhooks/whatsapp",
        app_secret=info.app_secret,
        access_token=info.access_token,
        phone_number_id=info.phone_number_id,
        display_phone_number=info.display_phone_number,
        waba_id=info.waba_id,
        retry_time_scale=args.retry_time_scale,
    )
    app_server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host=args.host,
            port=args.port,
            log_level="info",
            log_config=None,
            **socket_options(),
        )
    )
    await asyncio.gather(app_server.serve(), serve_emulator(config, args.host, args.emulator_port))


def _emulator(args: argparse.Namespace) -> None:
    from atiende.emulator.config import EmulatorConfig
    from atiende.emulator.server import run

    config = EmulatorConfig(
        app_webhook_url=args.app_url,
        app_secret=args.app_secret,
        access_token=args.access_token,
        phone_number_id=args.phone_number_id,
        display_phone_number=args.display_phone,
        waba_id=args.waba_id,
        retry_time_scale=args.retry_time_scale,
        retry_max_seconds=args.retry_max_seconds,
    )
    print(f"Teléfono del emulador: http://{args.host}:{args.port}/", flush=True)
    run(config, args.host, args.port)


def _channel_create(args: argparse.Namespace) -> None:
    from atiende.actions import campaigns
    from atiende.actions.channel_settings import ChannelSpec, do_create_channel
    from atiende.runtime import create_runtime

    async def create() -> int:
        rt = create_runtime(get_settings())
        try:
            async with rt.work() as w:
                campaign = await campaigns.do_ensure_campaign(w, args.campaign)
                channel = await do_create_channel(
                    w,
                    ChannelSpec(
                        name=args.name,
                        phone_number_id=args.phone_number_id,
                        display_phone_number=args.display_phone,
                        access_token=args.access_token,
                        app_secret=args.app_secret,
                        verify_token=args.verify_token,
                        entry_campaign_id=campaign.id,
                        waba_id=args.waba_id,
                        portfolio_id=args.portfolio_id,
                        graph_base_url=args.graph_url,
                        graph_version=args.graph_version,
                    ),
                )
                return channel.id
        finally:
            await rt.close()

    required_keyring(get_settings())
    upgrade(get_settings().database_url)
    print(f"canal {asyncio.run(create())} creado para phone_number_id {args.phone_number_id}")


def _user_create(args: argparse.Namespace) -> None:
    from atiende.actions import user_admin, users
    from atiende.runtime import create_runtime

    async def create() -> int:
        rt = create_runtime(get_settings())
        try:
            async with rt.work() as w:
                new = users.NewUser(
                    args.username, args.name, args.role, args.password, args.capacity
                )
                user = await users.do_create(w, new, args.campaign)
                user_admin.record_created(w, None, user, args.campaign)
                return user.id
        finally:
            await rt.close()

    upgrade(get_settings().database_url)
    print(f"usuario {asyncio.run(create())} creado: {args.username} ({args.role})")


def _user_deactivate(args: argparse.Namespace) -> None:
    from atiende.actions import user_admin, users
    from atiende.runtime import create_runtime

    async def deactivate() -> None:
        settings = get_settings()
        rt = create_runtime(settings)
        await rt.start()
        try:
            async with rt.work() as w:
                user = await users.find_user(w, args.username)
                grace = timedelta(seconds=settings.presence_grace_seconds)
                await user_admin.do_deactivate(w, None, user, grace)
        finally:
            await rt.close()

    upgrade(get_settings().database_url)
    asyncio.run(deactivate())
    print(f"usuario {args.username} desactivado: sus sesiones quedaron cerradas")


def _user_reactivate(args: argparse.Namespace) -> None:
    from atiende.actions import user_admin, users
    from atiende.runtime import create_runtime

    async def reactivate() -> None:
        rt = create_runtime(get_settings())
        try:
            async with rt.work() as w:
                user = await users.find_user(w, args.username)
                await user_admin.do_reactivate(w, None, user)
        finally:
            await rt.close()

    upgrade(get_settings().database_url)
    asyncio.run(reactivate())
    print(f"usuario {args.username} reactivado")


if __name__ == "__main__":
    main()
