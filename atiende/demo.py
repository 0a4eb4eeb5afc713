"""The demo a newcomer meets with `make run`: campaigns, agents, a channel on the emulator."""

import secrets
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from atiende.actions import bases, pause_reasons, templates
from atiende.actions.auth import hash_password
from atiende.actions.channel_settings import ChannelSpec, do_create_channel
from atiende.actions.forms import current_form, do_define_form
from atiende.actions.work import Work
from atiende.db.models import Campaign, CampaignMember, Channel, User
from atiende.demo_number import DISPLAY_PHONE as DISPLAY_PHONE
from atiende.demo_number import PHONE_NUMBER_ID as PHONE_NUMBER_ID
from atiende.demo_number import WABA_ID as WABA_ID
from atiende.domain.base_rows import Mapping
from atiende.domain.forms import FieldSpec

VERIFY_TOKEN = "atiende-demo-verify"

USERS = (
    # username, password, display name, role
    ("agente1", "agente1", "Sofía Torres", "agent"),
    ("agente2", "agente2", "Diego Morales", "agent"),
    ("supervisor", "supervisor", "Marta Sánchez", "supervisor"),
    ("admin", "admin", "Administración", "admin"),
)
# name: routing mode, reassign after (s), orphan grace (s)
CAMPAIGNS = {
    "Ventas": ("least_busy", 60, 120),
    "Soporte": ("round_robin", 90, 120),
}
# Approved by Meta for the demo number (the emulator accepts them).
TEMPLATES = (
    (
        "seguimiento_consulta",
        "es_MX",
        "Hola {{1}}, le escribimos de nuevo sobre su consulta. ¿Podemos ayudarle en algo más?",
    ),
    (
        "recordatorio_pedido",
        "es_MX",
        "Hola {{1}}, su pedido {{2}} sigue pendiente. Responda este mensaje para continuar.",
    ),
)
FORMS = {
    "Ventas": [
        FieldSpec(
            "motivo",
            "Motivo de contacto",
            "select",
            True,
            ("Consulta", "Compra", "Reclamo", "Otro"),
        ),
        FieldSpec("documento", "Documento de identidad", "text", True),
        FieldSpec("producto", "Producto de interés", "text"),
        FieldSpec("correo", "Correo electrónico", "email"),
        FieldSpec("promociones", "Acepta recibir promociones", "checkbox"),
        FieldSpec("notas", "Notas", "long_text"),
    ],
    "Soporte": [
        FieldSpec("pedido", "Número de pedido", "text", True),
        FieldSpec(
            "problema",
            "Tipo de problema",
            "select",
            True,
            ("Entrega", "Facturación", "Producto dañado", "Otro"),
        ),
        FieldSpec("fecha", "Fecha del incidente", "date"),
        FieldSpec("telefono", "Teléfono de contacto", "phone"),
        FieldSpec("resuelto", "Resuelto en el primer contacto", "checkbox"),
        FieldSpec("detalle", "Detalle", "long_text"),
    ],
}

# Ventas' customer base: Coincidencia finds Lucía and Juan by their numbers (written in
# three ways) and Ana, who writes without a number, by a search for her name or username.
BASE_COLUMNS = ("documento", "nombre", "telefono", "plan", "ciudad", "usuario")
BASE_ROWS = [
    ["45871236", "Lucía Fernández", "987654321", "Premium", "Lima", ""],
    ["45871237", "Lucía Fernández (trabajo)", "+51 987 654 321", "Empresas", "Lima", ""],
    ["1020304050", "Juan Pérez", "+57 300 1234567", "Básico", "Bogotá", ""],
    ["27333444", "Ana Ruiz", "", "Premium", "Córdoba", "ana.ruiz"],
    ["30111222", "Carlos Méndez", "+56 9 1234 5678", "Básico", "Santiago", "carlos.mendez"],
    ["45000111", "Rosa Quispe", "912345678", "Básico", "Cusco", ""],
]


@dataclass(frozen=True)
class DemoInfo:
    phone_number_id: str
    display_phone_number: str
    access_token: str
    app_secret: str
    verify_token: str
    waba_id: str


async def seed(w: Work, *, graph_base_url: str, app_secret: str | None = None) -> DemoInfo:
    """Create what is missing, keep what exists; the channel follows the given emulator URL."""
    campaigns = [await _campaign(w, name) for name in CAMPAIGNS]
    await pause_reasons.do_seed_defaults(w)
    admin_id = None
    for username, password, name, role in USERS:
        user = await _user(w, username, password, name, role)
        if role == "admin":
            admin_id = user.id
        if role == "agent":
            for campaign in campaigns:
                await _member(w, campaign.id, user.id)
    for campaign in campaigns:
        if await current_form(w, campaign.id) is None:
            await do_define_form(w, admin_id, campaign.id, FORMS[campaign.name])
        if not await templates.for_campaign(w, campaign.id):
            for name, language, body in TEMPLATES:
                await templates.do_add(w, campaign.id, name, language, body)
    channel = await w.session.scalar(
        select(Channel).where(Channel.phone_number_id == PHONE_NUMBER_ID)
    )
    if channel is None:
        channel = await do_create_channel(
            w,
            ChannelSpec(
                name="WhatsApp demo",
                phone_number_id=PHONE_NUMBER_ID,
                display_phone_number=DISPLAY_PHONE,
                access_token=secrets.token_urlsafe(24),
                app_secret=app_secret or secrets.token_hex(16),
                verify_token=VERIFY_TOKEN,
                entry_campaign_id=campaigns[0].id,
                waba_id=WABA_ID,
                graph_base_url=graph_base_url,
            ),
            logged=False,
        )
    channel.graph_base_url = graph_base_url
    if app_secret:
        channel.app_secret = app_secret
    await w.session.flush()
    return DemoInfo(
        phone_number_id=channel.phone_number_id,
        display_phone_number=channel.display_phone_number,
        access_token=channel.access_token,
        app_secret=channel.app_secret,
        verify_token=channel.verify_token,
        waba_id=channel.waba_id,
    )


async def seed_bases(w: Work) -> None:
    """The demo's customer base (kept out of `seed`, which the API tests share)."""
    campaign = await _campaign(w, "Ventas")
    mapping = Mapping(BASE_COLUMNS, "documento", "telefono", "nombre")
    await bases.do_add_small_base(w, campaign, "Clientes demo", mapping, BASE_ROWS)


async def _campaign(w: Work, name: str) -> Campaign:
    campaign = await w.session.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is None:
        mode, reassign, orphan = CAMPAIGNS[name]
        campaign = Campaign(
            name=name,
            routing_mode=mode,
            reassign_after_seconds=reassign,
            max_reassignments=3,
            orphan_after_seconds=orphan,
        )
        w.session.add(campaign)
        await w.session.flush()
    return campaign


async def _user(w: Work, username: str, password: str, name: str, role: str) -> User:
    user = await w.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username,
            password_hash=_demo_hash(password),
            display_name=name,
            role=role,
            status="offline",
            capacity=4,
        )
        w.session.add(user)
        await w.session.flush()
    return user


@lru_cache
def _demo_hash(password: str) -> str:
    # The demo's passwords are printed for everyone; hashing each once per process keeps
    # re-seeding (every test, every restart) from spending a second in argon2.
    return hash_password(password)


async def _member(w: Work, campaign_id: int, user_id: int) -> None:
    if await w.session.get(CampaignMember, (campaign_id, user_id)) is None:
        w.session.add(CampaignMember(campaign_id=campaign_id, user_id=user_id))
        await w.session.flush()
