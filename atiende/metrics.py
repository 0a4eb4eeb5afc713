"""What an app process counts for Prometheus (`GET /metrics`).

Each process has its own registry (tests run many apps in one interpreter, and each process
behind a proxy is scraped on its own address: see deploy/). Counters and histograms are this
process's; the backlog gauges (queues, outbox, media) are read from the database at scrape
time, so any process reports the same figures for them.
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

# From a fast answer to a slow one under load, in seconds.
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)
# How long an attention waited in its queue before an agent got it.
_WAITS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)


class Metrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.deliveries = Counter(
            "atiende_webhook_deliveries",
            "Webhook deliveries answered, by outcome (received: durable in the inbox;"
            " bad_signature; error: not stored, Meta delivers again)",
            ["outcome"],
            registry=r,
        )
        # Bound once: a label lookup per delivery costs as much as counting it.
        self.deliveries_received = self.deliveries.labels("received")
        self.deliveries_refused = self.deliveries.labels("bad_signature")
        self.deliveries_failed = self.deliveries.labels("error")
        self.delivery_seconds = Histogram(
            "atiende_webhook_seconds",
            "Time to answer a webhook delivery",
            buckets=_FAST,
            registry=r,
        )
        self.processed = Counter(
            "atiende_webhook_processed",
            "What the inbox's processor made of the deliveries' parts, by outcome (stored,"
            " duplicate, status, kept)",
            ["outcome"],
            registry=r,
        )
        self.processing_lag = Histogram(
            "atiende_webhook_processing_lag_seconds",
            "From a delivery's 200 (durable in the inbox) to its effects committed",
            buckets=_FAST,
            registry=r,
        )
        self.inbox_backlog = Gauge(
            "atiende_inbox_backlog", "Deliveries answered and not yet processed", registry=r
        )
        self.inbox_oldest = Gauge(
            "atiende_inbox_oldest_seconds",
            "Age of the oldest delivery not yet processed",
            registry=r,
        )
        self.messages_in = Counter(
            "atiende_messages_ingested", "Customer messages stored", registry=r
        )
        self.statuses = Counter(
            "atiende_statuses_applied",
            "Message statuses (sent, delivered, read) applied",
            registry=r,
        )
        self.routing_wait = Histogram(
            "atiende_routing_wait_seconds",
            "How long an attention waited queued before it was assigned",
            buckets=_WAITS,
            registry=r,
        )
        self.assignment_seconds = Histogram(
            "atiende_assignment_seconds",
            "From the start of a routing pass (woken by an event, or the poll) to the commit of"
            " the batch that assigned the attention, per attention assigned",
            buckets=_FAST,
            registry=r,
        )
        self.event_seconds = Histogram(
            "atiende_event_delivery_seconds",
            "Time to send one event to every socket of its recipients on this process",
            buckets=_FAST,
            registry=r,
        )
        self.events = Counter(
            "atiende_events_sent", "Events sent to sockets on this process", registry=r
        )
        self.connected_users = Gauge(
            "atiende_connected_users", "Users with at least one socket on this process", registry=r
        )
        self.sockets = Gauge("atiende_sockets", "Open sockets on this process", registry=r)
        self.sockets_behind = Counter(
            "atiende_sockets_dropped_behind",
            "Sockets closed because they fell too far behind (their tabs reconnect and reload)",
            registry=r,
        )
        self.queued = Gauge(
            "atiende_queued_attentions",
            "Attentions waiting in a campaign's queue",
            ["campaign"],
            registry=r,
        )
        self.oldest_queued = Gauge(
            "atiende_oldest_queued_seconds",
            "Age of the longest-waiting queued attention of a campaign",
            ["campaign"],
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "atiende_outbox_backlog", "Outbound messages waiting to be sent", registry=r
        )
        self.outbox_oldest = Gauge(
            "atiende_outbox_oldest_seconds", "Age of the oldest unsent outbound message", registry=r
        )
        self.media_backlog = Gauge(
            "atiende_media_backlog",
            "Inbound media files waiting to be fetched from Meta",
            registry=r,
        )
        self.webhook_failures = Gauge(
            "atiende_webhook_failures", "Deliveries kept for inspection (all time)", registry=r
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
