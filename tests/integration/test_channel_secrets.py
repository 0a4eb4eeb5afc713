"""Channel secrets at rest: the table holds Fernet tokens, the app works with plaintext,
keys rotate, a missing key is named, and migration 0009 encrypts what was stored in clear."""

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from atiende.actions.channel_settings import ChannelSpec, do_create_channel
from atiende.config import Settings
from atiende.db.engine import create_engine
from atiende.db.migrate import alembic_config
from atiende.db.models import Channel
from atiende.db.secrets import use_keyring
from atiende.keyring import Keyring, SecretKeyError, new_key
from atiende.runtime import create_runtime
from tests.conftest import off_loop
from tests.integration.conftest import World
from tests.integration.test_outbox import say
from tests.integration.test_transfers import open_for
from tests.keys import SECRET_KEY
from tests.procs import ATIENDE, ROOT

SECRETS = ("access_token", "app_secret", "verify_token")
PLAIN = {"access_token": "EAAG-in-clear", "app_secret": "app-in-clear", "verify_token": "vt-clear"}
CHANNEL = {
    "name": "Soporte Perú",
    "phone_number_id": "777000111",
    "display_phone_number": "51100200300",
    "access_token": "EAAG-secret-token",
    "app_secret": "app-secret-xyz",
    "verify_token": "verify-me",
    "entry_campaign_id": 1,
}


async def stored(engine: AsyncEngine, phone_number_id: str) -> dict[str, str]:
    """The secrets as the table holds them, read past the model."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(f"SELECT {', '.join(SECRETS)} FROM channels WHERE phone_number_id = :p"),
                {"p": phone_number_id},
            )
        ).one()
    return dict(zip(SECRETS, row, strict=True))


def decrypted(value: str, key: str = SECRET_KEY) -> str:
    return Fernet(key.encode()).decrypt(value.encode()).decode()


def assert_encrypted(
    row: dict[str, str], plain: Mapping[str, object], key: str = SECRET_KEY
) -> None:
    for name in SECRETS:
        assert str(plain[name]) not in row[name]
        assert decrypted(row[name], key) == plain[name]


async def test_the_row_holds_tokens_and_the_model_plaintext(world: World) -> None:
    info = world.info
    row = await stored(world.rt.engine, info.phone_number_id)
    assert_encrypted(
        row,
        {
            "access_token": info.access_token,
            "app_secret": info.app_secret,
            "verify_token": info.verify_token,
        },
    )
    async with world.rt.work() as w:
        channel = await w.session.scalar(select(Channel))
        assert channel is not None and channel.app_secret == "s3cret"


async def test_a_channel_from_the_admin_api_is_encrypted_and_answers_its_handshake(
    world: World,
) -> None:
    admin = await world.login("admin")
    created = await admin.post("/api/admin/channels", json=CHANNEL)
    assert created.status_code == 201, created.text
    assert not set(SECRETS) & set(created.json())
    assert_encrypted(await stored(world.rt.engine, str(CHANNEL["phone_number_id"])), CHANNEL)
    handshake = {"hub.mode": "subscribe", "hub.challenge": "42"}
    c = world.client()
    ok = await c.get("/webhooks/whatsapp", params={**handshake, "hub.verify_token": "verify-me"})
    assert ok.status_code == 200 and ok.text == "42"
    # A prefix, a longer token and a non-ASCII one (which compare_digest takes as bytes only).
    for wrong in ("verify", "verify-me!", "ñ"):
        refused = await c.get("/webhooks/whatsapp", params={**handshake, "hub.verify_token": wrong})
        assert refused.status_code == 403


async def test_after_a_rotation_old_rows_still_verify_and_send_and_new_ones_use_the_new_key(
    world: World,
) -> None:
    new = new_key()
    use_keyring(world.rt.engine, Keyring([new, SECRET_KEY]))
    # The webhook is verified with the app secret written under the old key; the reply goes
    # out with its access token, which the emulator checks.
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    await say(agent, attention_id, "hola")
    await world.dispatch()
    chat = (await world.phone().get("/emulator/api/customers/maria/messages")).json()
    assert [m["text"] for m in chat["messages"] if m["direction"] == "outbound"] == ["hola"]

    admin = await world.login("admin")
    assert (await admin.post("/api/admin/channels", json=CHANNEL)).status_code == 201
    assert_encrypted(await stored(world.rt.engine, str(CHANNEL["phone_number_id"])), CHANNEL, new)

    use_keyring(world.rt.engine, Keyring([new]))
    with pytest.raises(SecretKeyError, match="ATIENDE_SECRET_KEY"):
        async with world.rt.work() as w:
            await w.session.scalar(
                select(Channel.app_secret).where(
                    Channel.phone_number_id == world.info.phone_number_id
                )
            )
    use_keyring(world.rt.engine, Keyring([SECRET_KEY]))  # the audit at teardown reads on


@pytest.mark.usefixtures("world")
async def test_without_a_key_secrets_are_neither_written_nor_read(
    database_url: str, tmp_path: Path
) -> None:
    """On the world's database, which holds the demo channel."""
    keyless = create_runtime(
        Settings(database_url=database_url, secret_key=None, secret_key_file=tmp_path / "none")
    )
    try:
        # Raised while binding the INSERT's values, so SQLAlchemy wraps it.
        with pytest.raises(StatementError) as refused:
            async with keyless.work() as w:
                await do_create_channel(w, ChannelSpec(**CHANNEL))  # type: ignore[arg-type]
        assert isinstance(refused.value.orig, SecretKeyError)
        assert "ATIENDE_SECRET_KEY" in str(refused.value.orig)
        assert "atiende secret-key" in str(refused.value.orig)
        with pytest.raises(SecretKeyError, match="ATIENDE_SECRET_KEY"):
            async with keyless.work() as w:
                await w.session.scalar(select(Channel))
    finally:
        await keyless.close()


def cli_channel(database_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    args = ["channel", "create", "--campaign", "Ventas"]
    for flag in ("name", "phone_number_id", "access_token", "app_secret", "verify_token"):
        args += [f"--{flag.replace('_', '-')}", str(CHANNEL[flag])]
    args += ["--display-phone", str(CHANNEL["display_phone_number"])]
    return subprocess.run(
        [*ATIENDE, *args],
        env={**os.environ, "ATIENDE_SECRET_KEY": SECRET_KEY, "ATIENDE_DATABASE_URL": database_url}
        | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_command_line_creates_channels_encrypted_and_refuses_without_a_key(
    database_url: str, tmp_path: Path
) -> None:
    keyless = cli_channel(
        database_url, ATIENDE_SECRET_KEY="", ATIENDE_SECRET_KEY_FILE=str(tmp_path / "none")
    )
    assert keyless.returncode != 0
    assert "ATIENDE_SECRET_KEY" in keyless.stderr and "atiende secret-key" in keyless.stderr
    assert "Traceback" not in keyless.stderr

    done = cli_channel(database_url)
    assert done.returncode == 0, done.stderr
    for secret in SECRETS:
        assert str(CHANNEL[secret]) not in done.stdout + done.stderr
    engine = create_engine(database_url)
    try:
        assert_encrypted(await stored(engine, str(CHANNEL["phone_number_id"])), CHANNEL)
    finally:
        await engine.dispose()


async def at_0008_with_a_channel_in_clear(url: str, revision: str = "0008") -> AsyncEngine:
    off_loop(command.upgrade, alembic_config(url), revision)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO campaigns (id, name, routing_mode, reassign_after_seconds,"
                " max_reassignments, orphan_after_seconds, overflow_mode, overflow_after_seconds,"
                " created_at) VALUES (1, 'Ventas', 'least_busy', 60, 3, 120, 'none', 0,"
                " CURRENT_TIMESTAMP)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO channels (id, name, phone_number_id, display_phone_number, waba_id,"
                " portfolio_id, access_token, app_secret, verify_token, graph_base_url,"
                " graph_version, entry_campaign_id, created_at) VALUES (1, 'WhatsApp', '555',"
                " '5215550001000', '', 'default', :access_token, :app_secret, :verify_token,"
                " 'https://graph.facebook.com', 'v23.0', 1, CURRENT_TIMESTAMP)"
            ),
            PLAIN,
        )
        # A row that references the channel: the migration must not drop and copy the table.
        await conn.execute(
            text(
                "INSERT INTO webhook_failures (channel_id, body, error, received_at)"
                " VALUES (1, :body, 'kept', CURRENT_TIMESTAMP)"
            ),
            {"body": b"{}"},
        )
    return engine


async def test_migration_0009_encrypts_secrets_stored_in_clear_and_back(
    empty_database: str,
) -> None:
    engine = await at_0008_with_a_channel_in_clear(empty_database)
    try:
        off_loop(command.upgrade, alembic_config(empty_database, Keyring([SECRET_KEY])), "0009")
        assert_encrypted(await stored(engine, "555"), PLAIN)
        async with engine.connect() as conn:
            kept = await conn.scalar(text("SELECT count(*) FROM webhook_failures"))
        assert kept == 1
        use_keyring(engine, Keyring([SECRET_KEY]))
        async with engine.connect() as conn:
            channel = (await conn.execute(select(Channel.access_token, Channel.app_secret))).one()
        assert tuple(channel) == (PLAIN["access_token"], PLAIN["app_secret"])

        off_loop(command.downgrade, alembic_config(empty_database, Keyring([SECRET_KEY])), "0008")
        await engine.dispose()  # PostgreSQL's cached plans knew the columns' old type
        assert await stored(engine, "555") == PLAIN
    finally:
        await engine.dispose()


async def test_migration_0009_refuses_rows_in_clear_without_a_key(empty_database: str) -> None:
    engine = await at_0008_with_a_channel_in_clear(empty_database)
    await engine.dispose()
    with pytest.raises(SecretKeyError, match="ATIENDE_SECRET_KEY"):
        off_loop(command.upgrade, alembic_config(empty_database, Keyring()), "0009")


async def test_a_database_with_data_upgrades_to_head_keeping_every_row(
    empty_database: str,
) -> None:
    """SQLite alters a table by copying it (0008 does, to campaigns): with foreign keys on
    during migrations, rows pointing at the copied table made the drop fail."""
    engine = await at_0008_with_a_channel_in_clear(empty_database, "0007")
    try:
        off_loop(command.upgrade, alembic_config(empty_database, Keyring([SECRET_KEY])), "head")
        async with engine.connect() as conn:
            counts = [
                await conn.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("campaigns", "channels", "webhook_failures")
            ]
        assert counts == [1, 1, 1]
        assert_encrypted(await stored(engine, "555"), PLAIN)
    finally:
        await engine.dispose()
