"""`atiende import-base`, as a process: the same import as the supervisor page, its summary,
its report file and its exit status."""

import asyncio
import subprocess
from pathlib import Path

from sqlalchemy import select

from atiende.db.models import BaseRecord, CustomerBase
from tests.integration.conftest import World
from tests.procs import ATIENDE, ROOT, _environment


async def import_base(world: World, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "ATIENDE_DATABASE_URL": world.rt.settings.database_url,
        "ATIENDE_MEDIA_DIR": str(tmp_path / "media"),
    }
    # In a thread: the app under test keeps running its inbox processor meanwhile, and a loop
    # blocked in subprocess.run could leave that processor inside SQLite's write transaction,
    # which the command would then wait 30 s for and give up ("database is locked").
    return await asyncio.to_thread(
        subprocess.run,
        [*ATIENDE, "import-base", *args],
        env=_environment(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_cli_imports_reports_and_reimports(world: World, tmp_path: Path) -> None:
    source = tmp_path / "clientes.csv"
    source.write_text(
        "dni;nombre;celular\n1;Ana;987654321\n2;Beto;999\n3;Caro;+51 987 222 333\n",
        encoding="cp1252",
    )
    report = tmp_path / "errores.csv"
    common = ["--campaign", "Ventas", "--key", "dni", "--phone", "celular", "--name", "nombre"]
    done = await import_base(world, tmp_path, str(source), *common, "--errors", str(report))
    assert done.returncode == 0, done.stderr
    assert "base «clientes»: 2 nuevos, 0 actualizados, 0 quitados, 1 filas con error" in done.stdout
    assert "fila 3, celular: No es un teléfono válido. 999" in done.stdout
    assert report.read_text("utf-8").splitlines()[1] == "3,celular,No es un teléfono válido.,999"
    async with world.rt.work() as w:
        phones = set(await w.session.scalars(select(BaseRecord.phone)))
        assert phones == {"+51987654321", "+51987222333"}

    source.write_text("dni;nombre;celular\n3;Caro C;987222333\n", encoding="utf-8")
    again = await import_base(world, tmp_path, str(source), *common, "--mode", "replace")
    assert again.returncode == 0, again.stderr
    assert "0 nuevos, 1 actualizados, 1 quitados" in again.stdout
    async with world.rt.work() as w:
        assert [b.record_count for b in await w.session.scalars(select(CustomerBase))] == [1]


async def test_the_cli_says_why_a_file_is_refused(world: World, tmp_path: Path) -> None:
    source = tmp_path / "clientes.xlsx"
    source.write_text("dni,celular\n1,987654321\n", encoding="utf-8")
    refused = await import_base(
        world, tmp_path, str(source), "--campaign", "Ventas", "--key", "dni", "--phone", "celular"
    )
    assert refused.returncode == 1
    assert "su contenido es CSV" in refused.stderr
    missing = await import_base(
        world, tmp_path, str(source), "--campaign", "Nadie", "--key", "dni", "--phone", "x"
    )
    assert missing.returncode == 1 and "La campaña no existe." in missing.stderr
