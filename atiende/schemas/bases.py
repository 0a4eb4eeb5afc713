"""Customer bases: the bases of a campaign, an import and its per-row report, the records an
agent finds (Coincidencia) and the one he links to an attention."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from atiende.schemas.params import Id

if TYPE_CHECKING:
    from atiende.db.models import (
        AttentionMatch,
        BaseImport,
        BaseImportError,
        BaseRecord,
        CustomerBase,
    )

ImportMode = Literal["replace", "update"]
RowReason = Literal["key_missing", "key_duplicate", "key_too_long", "phone_invalid", "too_long"]


class BaseOut(BaseModel):
    id: int
    campaign_id: int
    name: str
    key_column: str
    phone_column: str
    name_column: str | None
    columns: list[str]
    record_count: int
    updated_at: datetime

    @classmethod
    def of(cls, b: CustomerBase) -> BaseOut:
        return cls(
            id=b.id,
            campaign_id=b.campaign_id,
            name=b.name,
            key_column=b.key_column,
            phone_column=b.phone_column,
            name_column=b.name_column,
            columns=list(b.columns),
            record_count=b.record_count,
            updated_at=b.updated_at,
        )


class RowErrorOut(BaseModel):
    row: int
    column: str | None
    reason: RowReason
    value: str | None

    @classmethod
    def of(cls, e: BaseImportError) -> RowErrorOut:
        return cls(row=e.row, column=e.column, reason=e.reason, value=e.value)


class Suggestion(BaseModel):
    key: str | None
    phone: str | None
    name: str | None


class ImportOut(BaseModel):
    """An import: `uploaded` waits for its mapping; `running` counts as it reads; `done` or
    `failed` (with the refusal's code) at the end. `errors` holds the first rows skipped;
    the whole report is `GET /api/base-imports/{id}/errors`."""

    id: int
    campaign_id: int
    base_id: int | None
    base_name: str | None
    filename: str
    format: Literal["csv", "xlsx"]
    columns: list[str]
    preview: list[list[str]]
    suggestion: Suggestion
    state: Literal["uploaded", "running", "done", "failed"]
    mode: ImportMode | None
    key_column: str | None
    phone_column: str | None
    name_column: str | None
    region: str | None
    # An estimate for the progress bar (None when the sheet does not state its size).
    rows_total: int | None
    rows_read: int
    added: int
    updated: int
    removed: int
    error_count: int
    failure_code: str | None
    failure_params: dict[str, str | int | float] | None
    errors: list[RowErrorOut]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(
        cls, i: BaseImport, errors: list[BaseImportError], suggestion: dict[str, str | None]
    ) -> ImportOut:
        return cls(
            id=i.id,
            campaign_id=i.campaign_id,
            base_id=i.base_id,
            base_name=i.base_name,
            filename=i.filename,
            format=i.layout["kind"],
            columns=list(i.columns),
            preview=i.preview,
            suggestion=Suggestion.model_validate(suggestion),
            state=i.state,
            mode=i.mode,
            key_column=i.key_column,
            phone_column=i.phone_column,
            name_column=i.name_column,
            region=i.region,
            rows_total=i.rows_total,
            rows_read=i.rows_read,
            added=i.added,
            updated=i.updated,
            removed=i.removed,
            error_count=i.error_count,
            failure_code=i.failure_code,
            failure_params=i.failure_params,
            errors=[RowErrorOut.of(e) for e in errors],
            created_at=i.created_at,
            started_at=i.started_at,
            finished_at=i.finished_at,
        )


class ImportStart(BaseModel):
    """The mapping: which column is the key, the phone and (optionally) the name. Into a new
    base (`base_name`) or an existing one (`base_id`), whose records are replaced by the
    file's or updated by key (`mode`)."""

    key_column: str = Field(min_length=1, max_length=120)
    phone_column: str = Field(min_length=1, max_length=120)
    name_column: str | None = Field(default=None, max_length=120)
    base_id: Id | None = None
    base_name: str | None = Field(default=None, min_length=1, max_length=120)
    mode: ImportMode = "update"


class RecordOut(BaseModel):
    id: int
    base_id: int
    base_name: str
    key: str
    phone: str | None
    name: str | None
    fields: dict[str, str]

    @classmethod
    def of(cls, r: BaseRecord, base: CustomerBase) -> RecordOut:
        return cls(
            id=r.id,
            base_id=base.id,
            base_name=base.name,
            key=r.key,
            phone=r.phone,
            name=r.name,
            fields=r.fields,
        )


class LinkedRecord(BaseModel):
    """The record linked to an attention, as it read when it was linked. `record_id` is null
    once a re-import removed the record."""

    record_id: int | None
    base_id: int | None
    base_name: str
    key: str
    phone: str | None
    name: str | None
    fields: dict[str, str]
    linked_by_id: int | None
    linked_at: datetime

    @classmethod
    def of(cls, m: AttentionMatch) -> LinkedRecord:
        return cls(
            record_id=m.record_id,
            base_id=m.base_id,
            base_name=m.base_name,
            key=m.key,
            phone=m.phone,
            name=m.name,
            fields=m.fields,
            linked_by_id=m.linked_by_id,
            linked_at=m.linked_at,
        )


class MatchesOut(BaseModel):
    """Coincidencia: the records whose phone is the customer's, in the bases of the
    attention's campaign, and the record linked now."""

    phone: str | None
    bases: int
    records: list[RecordOut]
    linked: LinkedRecord | None


class LinkIn(BaseModel):
    record_id: Id
