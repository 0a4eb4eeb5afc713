"""Supervisors' reports."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from atiende.i18n import Lang
from atiende.schemas.attentions import AttentionOut
from atiende.schemas.params import Id, Limit


class TransferRow(BaseModel):
    """A transferred attention; the first and last of its transfers the filters count."""

    attention: AttentionOut
    transfer_count: int
    first_transfer_at: datetime
    last_transfer_at: datetime


class TransferReport(BaseModel):
    """Newest first transfer first; `next_cursor` asks for the next page."""

    items: list[TransferRow]
    next_cursor: str | None
    total: int | None = Field(description="Only on the first page (no cursor)")


Condition = Literal["reassigned", "orphaned", "parked", "transferred"]
ReportState = Literal["queued", "assigned", "open", "closed"]
ExportFormat = Literal["csv", "xlsx"]


class ReportFilters(BaseModel):
    """What every report is filtered by. Days are whole days in `tz` (the supervisor's zone,
    sent by the browser), both ends included; unset `tz` is the server's `ATIENDE_TIME_ZONE`."""

    model_config = ConfigDict(extra="forbid")

    date_from: date | None = None
    date_to: date | None = None
    tz: str | None = Field(default=None, max_length=64)
    campaign_id: Id | None = None
    agent_id: Id | None = None
    state: ReportState | None = None
    condition: Condition | None = None
    # Part of the customer's name, phone or username (as *Buscar atenciones* reads it).
    customer: str | None = Field(default=None, max_length=100)
    # Words of the conversation, all in one message (prefixes), or a "quoted phrase".
    words: str | None = Field(default=None, max_length=200)
    # Opaque: the `next_cursor` of the page before.
    cursor: str | None = Field(default=None, max_length=200)
    limit: Limit = 50


class ExportStart(BaseModel):
    """An export of a report with the filters shown (its cursor and limit are ignored: an
    export has every row)."""

    model_config = ConfigDict(extra="forbid")

    format: ExportFormat
    filters: ReportFilters = Field(default_factory=ReportFilters)
    lang: Lang = "es"


class ExportOut(BaseModel):
    id: int
    report: str
    format: ExportFormat
    state: Literal["running", "done", "failed"]
    rows_done: int
    rows_total: int | None
    filename: str
    error_code: str | None
    created_at: datetime
    finished_at: datetime | None


class ReportColumn(BaseModel):
    key: str = Field(description="`<campaign id>.<field key>`: the key of `form` in each row")
    label: str


class AttentionReportFields(BaseModel):
    """An attention's columns but its form: the action reads them into this
    (`actions/attentions_report.AttentionLine`) and the page answers them as they are."""

    id: int
    state: ReportState
    customer: str
    phone: str | None
    username: str | None
    campaigns: list[str]
    agents: list[str]
    started_at: datetime
    first_assigned_at: datetime | None
    first_reply_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int | None
    first_response_seconds: int | None
    handle_seconds: int | None
    transfers: int
    reassignments: int
    record: str | None


class AttentionReportRow(AttentionReportFields):
    """One attention; times are UTC (the page shows them on the supervisor's clock), the
    seconds as defined in docs/reports.md."""

    form: dict[str, str | None]


class AttentionReportPage(BaseModel):
    form_columns: list[ReportColumn]
    items: list[AttentionReportRow]
    next_cursor: str | None
    total: int | None = Field(description="Only on the first page (no cursor)")
