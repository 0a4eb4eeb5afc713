"""A contact center's year in PostgreSQL, written by set-based SQL (generate_series), so
that a million messages take a minute rather than an hour through the app.

On top of the demo (`atiende demo --seed-only`) it adds, at `--scale 1`: 20 campaigns with a
form each, 500 agents in two campaigns each, 40,000 customers, 100,000 attentions over the
last 365 days (the newest 300 queued and 300 open, the rest closed; one in five transferred,
one in seventeen reassigned), 1,000,000 messages (ten per attention, half of the outbound ones
with Meta's `pricing` when the schema keeps it), their timeline events, 20,000 transfers, a
submitted form per segment, one customer with 200 attentions, one conversation of 5,000
messages, and a year of agent states (six changes per agent and day: 1.1 million rows).
The rows obey the schema's constraints; what the app keeps in step (an agent's load) is set to
match.
"""

import asyncpg

VOCABULARY = (
    "hola",
    "buenos días",
    "quisiera información sobre mi pedido",
    "el envío no ha llegado",
    "necesito cambiar la dirección",
    "¿cuál es el precio del plan?",
    "gracias por su ayuda",
    "mi factura tiene un cobro que no reconozco",
    "quiero cancelar la suscripción",
    "¿tienen promociones este mes?",
    "claro, con gusto le ayudo",
    "permítame revisar su caso",
    "su número de pedido es correcto",
    "el reembolso se verá en cinco días",
)
PAUSES = ("Almuerzo", "Baño", "Capacitación", "Reunión")


async def seed(dsn: str, scale: float = 1.0) -> dict[str, int]:
    """Adds the volume to a database the demo was seeded into; returns what it wrote."""
    n_att = int(100_000 * scale)
    n_agents = max(20, int(500 * scale))
    n_customers = max(1_000, int(40_000 * scale))
    conn = await asyncpg.connect(dsn)
    try:
        return await _seed(conn, n_att, n_agents, n_customers)
    finally:
        await conn.close()


async def _seed(
    conn: asyncpg.Connection, n_att: int, n_agents: int, n_customers: int
) -> dict[str, int]:
    channel_id, portfolio = await conn.fetchrow("SELECT id, portfolio_id FROM channels LIMIT 1")
    admin_id = await conn.fetchval("SELECT id FROM users WHERE role = 'admin' LIMIT 1")
    agent_hash = await conn.fetchval("SELECT password_hash FROM users WHERE username = 'agente1'")
    async with conn.transaction():
        await conn.execute(
            """
            INSERT INTO campaigns (name, routing_mode, reassign_after_seconds, max_reassignments,
                orphan_after_seconds, overflow_after_seconds, overflow_mode, default_region,
                created_at)
            SELECT 'Campaña ' || lpad(g::text, 2, '0'), 'least_busy', 0, 3, 300, 0, 'none', 'PE',
                now() - interval '400 days'
            FROM generate_series((SELECT count(*) + 1 FROM campaigns), 20) g
            """
        )
        campaigns: list[int] = [
            r["id"] for r in await conn.fetch("SELECT id FROM campaigns ORDER BY id LIMIT 20")
        ]
        await conn.execute(
            """
            INSERT INTO forms (campaign_id, version, created_by_id, created_at)
            SELECT c.id, 1, $1, now() - interval '400 days' FROM campaigns c
            WHERE NOT EXISTS (SELECT 1 FROM forms f WHERE f.campaign_id = c.id)
            """,
            admin_id,
        )
        await conn.execute(
            """
            INSERT INTO form_fields (form_id, position, key, label, type, required, options)
            SELECT f.id, p.pos, p.key, p.label, p.type, p.required, p.options::json
            FROM forms f
            CROSS JOIN (VALUES
                (0, 'motivo', 'Motivo', 'select', true,
                    '["Consulta", "Reclamo", "Venta", "Cancelación"]'),
                (1, 'resuelto', 'Resuelto', 'checkbox', false, NULL),
                (2, 'comentario', 'Comentario', 'long_text', false, NULL)
            ) AS p(pos, key, label, type, required, options)
            WHERE NOT EXISTS (SELECT 1 FROM form_fields x WHERE x.form_id = f.id)
            """
        )
        # The latest form of each campaign: submissions are filled against it.
        forms = {
            r["campaign_id"]: r["id"]
            for r in await conn.fetch(
                "SELECT DISTINCT ON (campaign_id) campaign_id, id FROM forms"
                " ORDER BY campaign_id, version DESC"
            )
        }
        await conn.execute(
            """
            INSERT INTO users (username, display_name, password_hash, role, status, capacity,
                active_count, active, created_at)
            SELECT 'bench' || lpad(g::text, 4, '0'), 'Agente ' || g, $1, 'agent', 'offline', 5,
                0, true, now() - interval '400 days'
            FROM generate_series(1, $2) g
            """,
            agent_hash,
            n_agents,
        )
        agents: list[int] = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM users WHERE username LIKE 'bench%' ORDER BY id"
            )
        ]
        await conn.execute(
            """
            INSERT INTO campaign_members (campaign_id, user_id, capacity)
            SELECT DISTINCT ($1::int[])[1 + (i % 20)], a, 5
            FROM unnest($2::int[]) WITH ORDINALITY AS t(a, i)
            UNION
            SELECT DISTINCT ($1::int[])[1 + ((i + 7) % 20)], a, 5
            FROM unnest($2::int[]) WITH ORDINALITY AS t(a, i)
            """,
            campaigns,
            agents,
        )
        await conn.execute(
            """
            INSERT INTO customers (portfolio_id, phone, name, created_at)
            SELECT $1, '5199' || lpad(g::text, 7, '0'), 'Cliente ' || g,
                now() - interval '400 days'
            FROM generate_series(1, $2) g
            """,
            portfolio,
            n_customers,
        )
        first_customer = await conn.fetchval(
            "SELECT min(id) FROM customers WHERE phone LIKE '5199%'"
        )
        await _attentions(conn, n_att, channel_id, first_customer, n_customers, campaigns, agents)
        await _forms(conn, forms)
        await _agent_states(conn, agents)
    await conn.execute("ANALYZE")
    counts: dict[str, int] = {}
    for table in (
        "attentions",
        "messages",
        "attention_events",
        "transfers",
        "form_submissions",
        "agent_status_changes",
        "users",
        "customers",
    ):
        counts[table] = await conn.fetchval(f"SELECT count(*) FROM {table}")
    return counts


async def _attentions(
    conn: asyncpg.Connection,
    n_att: int,
    channel_id: int,
    first_customer: int,
    n_customers: int,
    campaigns: list[int],
    agents: list[int],
) -> None:
    # Attention g of n starts at now - 365 days + g/n of the year: ids follow time. The 300
    # newest wait in the queue, the 300 before them are open (one per agent: g * 7 differs
    # modulo the 500 agents), the rest closed.
    # Customer 1 is the regular with 200 attentions (Historial at volume).
    await conn.execute(
        """
        CREATE TEMP TABLE plan ON COMMIT DROP AS
        SELECT g,
            now() - interval '365 days' + (g::float8 / $1) * interval '365 days' AS t0,
            ($3::int[])[1 + (g % array_length($3, 1))] AS campaign_id,
            ($4::int[])[1 + ((g * 7) % array_length($4, 1))] AS agent_id,
            ($4::int[])[1 + ((g * 7 + 3) % array_length($4, 1))] AS agent2_id,
            ($3::int[])[1 + ((g + 5) % array_length($3, 1))] AS campaign2_id,
            CASE WHEN g % 500 = 0 AND g <= $1 - $6 - $7 THEN $2
                 ELSE $2 + 1 + (g % ($5 - 1)) END AS customer_id,
            CASE WHEN g > $1 - $6 THEN 'queued'
                 WHEN g > $1 - $6 - $7 THEN 'open' ELSE 'closed' END AS state,
            g % 5 = 0 AND g <= $1 - $6 - $7 AS transferred,
            g % 17 = 0 AS reassigned,
            (g % 120) AS wait_s,
            300 + (g % 900) AS handle_s
        FROM generate_series(1, $1) g
        """,
        n_att,
        first_customer,
        campaigns,
        agents,
        n_customers,
        min(300, n_att // 10),
        min(300, len(agents)),
    )
    before = await conn.fetchval("SELECT coalesce(max(id), 0) FROM attentions")
    await conn.execute(
        """
        INSERT INTO attentions (channel_id, customer_id, campaign_id, state, agent_id, version,
            unread, created_at, queued_at, assigned_at, opened_at, closed_at, closed_by_id,
            offered, parked, reassignments, orphaned, transfer_count, segment,
            last_message_at, last_message_direction, last_message_type, last_message_text)
        SELECT $1, customer_id,
            CASE WHEN transferred THEN campaign2_id ELSE campaign_id END,
            state,
            CASE WHEN state = 'queued' THEN NULL
                 WHEN transferred THEN agent2_id ELSE agent_id END,
            3, 0, t0, t0,
            CASE WHEN state = 'queued' THEN NULL ELSE t0 + wait_s * interval '1 second' END,
            CASE WHEN state = 'queued' THEN NULL
                 ELSE t0 + (wait_s + 10) * interval '1 second' END,
            CASE WHEN state = 'closed'
                 THEN t0 + (wait_s + 10 + handle_s) * interval '1 second' END,
            CASE WHEN state = 'closed' THEN
                CASE WHEN transferred THEN agent2_id ELSE agent_id END END,
            false, false, CASE WHEN reassigned THEN 1 ELSE 0 END, false,
            CASE WHEN transferred THEN 1 ELSE 0 END,
            CASE WHEN transferred THEN 2 ELSE 1 END,
            t0 + (wait_s + 10 + 270) * interval '1 second',
            'out', 'text', 'el reembolso se verá en cinco días'
        FROM plan ORDER BY g
        """,
        channel_id,
    )
    # The newest 300 open ones hold a slot each with distinct agents (g*7 mod 500 differs).
    await conn.execute(
        """
        UPDATE users u SET active_count = held.n FROM (
            SELECT agent_id, count(*) AS n FROM attentions WHERE state = 'open'
            GROUP BY agent_id) held
        WHERE u.id = held.agent_id
        """
    )
    await conn.execute("ALTER TABLE plan ADD COLUMN attention_id int")
    await conn.execute(
        """
        UPDATE plan SET attention_id = a.id FROM (
            SELECT id, row_number() OVER (ORDER BY id) AS g FROM attentions WHERE id > $1) a
        WHERE plan.g = a.g
        """,
        before,
    )
    await conn.execute(
        """
        INSERT INTO messages (attention_id, channel_id, direction, wa_message_id, type, text,
            status, sender_id, content, forwarded, hidden, sent_at, created_at)
        SELECT p.attention_id, $1, CASE WHEN m % 2 = 0 THEN 'in' ELSE 'out' END,
            'wamid.bench.' || p.g || '.' || m, 'text', v.word,
            CASE WHEN m % 2 = 0 THEN 'received' ELSE 'read' END,
            CASE WHEN m % 2 = 1 THEN
                CASE WHEN p.transferred AND m > 4 THEN p.agent2_id ELSE p.agent_id END END,
            json_build_object('body', v.word), false, false,
            p.t0 + (p.wait_s + 10 + m * 30) * interval '1 second',
            p.t0 + (p.wait_s + 10 + m * 30) * interval '1 second'
        FROM plan p
        CROSS JOIN generate_series(0, 9) m
        JOIN (SELECT row_number() OVER () - 1 AS i, word FROM unnest($2::text[]) word) v
            ON v.i = (p.g + m * 3) % array_length($2, 1)
        WHERE p.state <> 'queued' OR m = 0
        """,
        channel_id,
        list(VOCABULARY),
    )
    # One long conversation: the newest open attention gets 5,000 messages more.
    await conn.execute(
        """
        INSERT INTO messages (attention_id, channel_id, direction, wa_message_id, type, text,
            status, sender_id, content, forwarded, hidden, sent_at, created_at)
        SELECT p.attention_id, $1, CASE WHEN m % 2 = 0 THEN 'in' ELSE 'out' END,
            'wamid.bench.long.' || m, 'text', 'mensaje ' || m,
            CASE WHEN m % 2 = 0 THEN 'received' ELSE 'read' END,
            CASE WHEN m % 2 = 1 THEN p.agent_id END,
            json_build_object('body', 'mensaje ' || m), false, false,
            p.t0 - (5000 - m) * interval '1 second', p.t0 - (5000 - m) * interval '1 second'
        FROM (SELECT * FROM plan WHERE state = 'open' ORDER BY g DESC LIMIT 1) p
        CROSS JOIN generate_series(1, 5000) m
        """,
        channel_id,
    )
    await conn.execute(
        """
        INSERT INTO transfers (attention_id, sequence, kind, from_campaign_id, from_agent_id,
            to_campaign_id, to_agent_id, by_id, note, created_at)
        SELECT attention_id, 1, 'transfer', campaign_id, agent_id, campaign2_id, agent2_id,
            agent_id, 'Lo ve el área correspondiente',
            t0 + (wait_s + 10 + 150) * interval '1 second'
        FROM plan WHERE transferred
        """
    )
    await conn.execute(
        """
        INSERT INTO attention_events (attention_id, kind, segment, actor_id, agent_id,
            campaign_id, data, created_at)
        SELECT attention_id, e.kind, e.segment, e.actor, e.agent, e.campaign, e.data::json,
            e.at
        FROM plan p CROSS JOIN LATERAL (VALUES
            ('queued', 1, NULL::int, NULL::int, p.campaign_id, '{}', p.t0, true),
            ('assigned', 1, NULL, p.agent_id, p.campaign_id, '{}',
                p.t0 + p.wait_s * interval '1 second', p.state <> 'queued'),
            ('opened', 1, p.agent_id, p.agent_id, p.campaign_id, '{}',
                p.t0 + (p.wait_s + 10) * interval '1 second', p.state <> 'queued'),
            ('transferred', 1, p.agent_id, p.agent_id, p.campaign2_id, '{}',
                p.t0 + (p.wait_s + 160) * interval '1 second', p.transferred),
            ('assigned', 2, NULL, p.agent2_id, p.campaign2_id, '{}',
                p.t0 + (p.wait_s + 170) * interval '1 second', p.transferred),
            ('closed',
                CASE WHEN p.transferred THEN 2 ELSE 1 END,
                CASE WHEN p.transferred THEN p.agent2_id ELSE p.agent_id END,
                CASE WHEN p.transferred THEN p.agent2_id ELSE p.agent_id END,
                CASE WHEN p.transferred THEN p.campaign2_id ELSE p.campaign_id END, '{}',
                p.t0 + (p.wait_s + 10 + p.handle_s) * interval '1 second', p.state = 'closed')
        ) AS e(kind, segment, actor, agent, campaign, data, at, keep)
        WHERE e.keep
        """
    )
    await conn.execute(
        """
        INSERT INTO attention_events (attention_id, kind, segment, actor_id, agent_id,
            campaign_id, data, created_at)
        SELECT attention_id, 'reassigned', 1, NULL, agent_id, campaign_id,
            '{"reason": "not_opened"}', t0 + (wait_s / 2) * interval '1 second'
        FROM plan WHERE reassigned AND state <> 'queued'
        """
    )


async def _forms(conn: asyncpg.Connection, forms: dict[int, int]) -> None:
    await conn.execute(
        """
        INSERT INTO form_submissions (attention_id, segment, campaign_id, form_id, values,
            submitted_at, submitted_by_id, updated_at)
        SELECT attention_id, s.segment, s.campaign, f.form_id,
            (SELECT json_object_agg(ff.key, CASE ff.type
                WHEN 'select' THEN ff.options -> (g % json_array_length(ff.options))
                WHEN 'multi_select' THEN json_build_array(ff.options -> 0)
                WHEN 'checkbox' THEN to_json(g % 3 <> 0)
                WHEN 'number' THEN to_json(g % 100)
                WHEN 'date' THEN to_json(to_char(p.t0, 'YYYY-MM-DD'))
                WHEN 'phone' THEN to_json('+5199' || lpad(g::text, 7, '0'))
                WHEN 'email' THEN to_json('cliente' || g || '@example.com')
                ELSE to_json('Atendido ' || g) END)
             FROM form_fields ff WHERE ff.form_id = f.form_id),
            s.at, s.agent, s.at
        FROM plan p CROSS JOIN LATERAL (VALUES
            (1, p.campaign_id, p.agent_id, p.t0 + (p.wait_s + 150) * interval '1 second', true),
            (2, p.campaign2_id, p.agent2_id,
                p.t0 + (p.wait_s + p.handle_s) * interval '1 second', p.transferred)
        ) AS s(segment, campaign, agent, at, keep)
        JOIN unnest($1::int[], $2::int[]) AS f(campaign_id, form_id)
            ON f.campaign_id = s.campaign
        WHERE s.keep AND p.state = 'closed'
        """,
        list(forms),
        list(forms.values()),
    )


async def _agent_states(conn: asyncpg.Connection, agents: list[int]) -> None:
    # A working day in Lima (UTC-5), per agent and day: in at 08:00 (give or take the
    # agent's own minutes), lunch, a short break, out at 17:00; the spans of the last evening
    # cross midnight in UTC, as a center's reports must handle.
    await conn.execute(
        """
        INSERT INTO agent_status_changes (user_id, status, reason, automatic, at)
        SELECT a, s.status, s.reason, false,
            date_trunc('day', now()) - d * interval '1 day'
                + (s.minute + (a % 30)) * interval '1 minute'
        FROM unnest($1::int[]) a
        CROSS JOIN generate_series(1, 365) d
        CROSS JOIN (VALUES
            ('available', NULL, 13 * 60),
            ('paused', $2::text[], 17 * 60),
            ('available', NULL, 18 * 60),
            ('paused', $2::text[], 20 * 60),
            ('available', NULL, 20 * 60 + 10),
            ('offline', NULL, 22 * 60)
        ) AS p(status, reasons, minute)
        CROSS JOIN LATERAL (SELECT p.status,
            CASE WHEN p.status = 'paused'
                 THEN p.reasons[1 + ((a + d + p.minute) % array_length(p.reasons, 1))] END
                 AS reason,
            p.minute) s
        """,
        agents,
        list(PAUSES),
    )
