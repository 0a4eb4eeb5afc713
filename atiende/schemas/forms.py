"""Campaign forms: their definition and the state of one attention's form."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from atiende.domain.forms import FieldType
from atiende.schemas.common import Person, Ref

if TYPE_CHECKING:
    from atiende.db.models import Form


class FieldOut(BaseModel):
    key: str
    label: str
    type: FieldType
    required: bool
    options: list[str] | None


class FormOut(BaseModel):
    id: int
    version: int
    campaign: Ref
    fields: list[FieldOut]

    @classmethod
    def of(cls, form: Form, campaign_name: str) -> FormOut:
        return cls(
            id=form.id,
            version=form.version,
            campaign=Ref(id=form.campaign_id, name=campaign_name),
            fields=[
                FieldOut(
                    key=f.key, label=f.label, type=f.type, required=f.required, options=f.options
                )
                for f in form.fields
            ],
        )


class FieldCode(BaseModel):
    """What is wrong with one value, for a client to say it in its language."""

    code: str = Field(description="A `form_field.<code>` entry of atiende/i18n/errors.*.json")
    params: dict[str, str | int | float] = {}


class EarlierValues(BaseModel):
    """What an earlier segment of the same attention submitted in this campaign's form."""

    segment: int
    submitted_at: datetime | None
    values: dict[str, Any]


class FormState(BaseModel):
    form: FormOut | None
    values: dict[str, Any]
    submitted_at: datetime | None
    segment: int
    errors: dict[str, str] = Field(description="What is wrong per field key, in Spanish")
    error_codes: dict[str, FieldCode] = {}
    earlier: list[EarlierValues] = []
    prefilled_from: int | None = Field(
        default=None,
        description="The earlier segment the unsaved values were started from, if any",
    )


class SegmentFormOut(BaseModel):
    """One segment's form, read-only: the campaign and agent it had and what was filled."""

    segment: int
    campaign: Ref
    agent: Person | None
    form: FormOut | None
    values: dict[str, Any]
    submitted_at: datetime | None


class ValuesIn(BaseModel):
    values: dict[str, Any]


class FieldIn(BaseModel):
    key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    type: str
    required: bool = False
    options: list[str] | None = None


class FormIn(BaseModel):
    fields: list[FieldIn] = Field(max_length=100)
