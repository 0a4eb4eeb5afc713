"""Campaign forms: versions defined by supervisors, filled per segment by the agent."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from atiende.actions import audit_log
from atiende.actions.access import access_attention
from atiende.actions.segments import segments_of
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.models import (
    Attention,
    AttentionEvent,
    Campaign,
    Form,
    FormField,
    FormSubmission,
    User,
)
from atiende.db.types import utcnow
from atiende.domain.errors import Invalid, NotFound
from atiende.domain.forms import (
    FieldSpec,
    check_definition,
    codes,
    messages,
    missing_required,
    validate,
)
from atiende.domain.states import check_transition

MAX_DRAFT_BYTES = 64_000


def specs(form: Form) -> list[FieldSpec]:
    return [
        FieldSpec(f.key, f.label, f.type, f.required, tuple(f.options) if f.options else None)
        for f in form.fields
    ]


async def current_form(w: Work, campaign_id: int) -> Form | None:
    return await w.session.scalar(
        select(Form).where(Form.campaign_id == campaign_id).order_by(Form.version.desc()).limit(1)
    )


async def do_define_form(
    w: Work, author_id: int | None, campaign_id: int, fields: list[FieldSpec]
) -> Form:
    """A new version; the ones already used by submissions are never touched."""
    if await w.session.get(Campaign, campaign_id) is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    errors = check_definition(fields)
    if errors:
        raise Invalid(
            "form_definition",
            "El formulario tiene errores.",
            {"errors": messages(errors), "error_codes": codes(errors)},
        )
    latest = await w.session.scalar(
        select(func.max(Form.version)).where(Form.campaign_id == campaign_id)
    )
    previous = await current_form(w, campaign_id)
    form = Form(campaign_id=campaign_id, version=(latest or 0) + 1, created_by_id=author_id)
    form.fields = [
        FormField(
            position=i,
            key=f.key,
            label=f.label.strip(),
            type=f.type,
            required=f.required,
            options=list(f.options) if f.options else None,
        )
        for i, f in enumerate(fields, start=1)
    ]
    w.session.add(form)
    await w.session.flush()
    audit_log.record(
        w,
        author_id,
        "campaign",
        campaign_id,
        "form",
        {"form_version": latest, "form_fields": _described(previous.fields) if previous else None},
        {"form_version": form.version, "form_fields": _described(form.fields)},
    )
    return form


def _described(fields: list[FormField]) -> list[str]:
    """A form's fields as the log shows them: key, label, type, * when required."""
    return [f"{f.key} ({f.label}, {f.type}{', *' if f.required else ''})" for f in fields]


async def _submission(w: Work, attention: Attention, segment: int) -> FormSubmission | None:
    return await w.session.scalar(
        select(FormSubmission).where(
            FormSubmission.attention_id == attention.id, FormSubmission.segment == segment
        )
    )


async def _form_of(w: Work, submission: FormSubmission | None, campaign_id: int) -> Form | None:
    if submission is not None:
        return await w.session.get(Form, submission.form_id)
    return await current_form(w, campaign_id)


async def _segment_for(w: Work, user: User, attention: Attention) -> int:
    """The segment whose form this user sees: the current one, or for an attention he no
    longer holds, the last one he opened."""
    if attention.agent_id == user.id or user.role != "agent":
        return attention.segment
    last = await w.session.scalar(
        select(func.max(AttentionEvent.segment)).where(
            AttentionEvent.attention_id == attention.id,
            AttentionEvent.kind == "opened",
            AttentionEvent.actor_id == user.id,
        )
    )
    return int(last or attention.segment)


async def campaign_of_segment(w: Work, attention: Attention, segment: int) -> int:
    if segment == attention.segment:
        return attention.campaign_id
    segments = (await segments_of(w, [attention]))[attention.id]
    return segments[segment - 1].campaign_id


async def earlier_submissions(
    w: Work, attention: Attention, campaign_id: int, segment: int
) -> list[FormSubmission]:
    """What was submitted in this campaign's earlier segments of the same attention, oldest
    first: an attention that comes back to a campaign shows it and starts from the last."""
    rows = await w.session.scalars(
        select(FormSubmission)
        .where(
            FormSubmission.attention_id == attention.id,
            FormSubmission.campaign_id == campaign_id,
            FormSubmission.segment < segment,
            FormSubmission.submitted_at.is_not(None),
        )
        .order_by(FormSubmission.segment)
    )
    return list(rows)


def start_values(form: Form, earlier: list[FormSubmission]) -> dict[str, Any]:
    """A new segment's draft: the latest earlier submission, as far as this form has its
    fields."""
    if not earlier:
        return {}
    known = {f.key for f in form.fields}
    return {k: v for k, v in earlier[-1].values.items() if k in known}


@dataclass
class SegmentForm:
    attention: Attention
    segment: int
    form: Form | None
    submission: FormSubmission | None
    earlier: list[FormSubmission]


async def do_get_state(w: Work, user: User, attention_id: int) -> SegmentForm:
    attention = await access_attention(w, user, attention_id)
    segment = await _segment_for(w, user, attention)
    submission = await _submission(w, attention, segment)
    # The segment's own campaign: after a transfer the attention's is another one.
    campaign_id = (
        submission.campaign_id if submission else await campaign_of_segment(w, attention, segment)
    )
    form = await _form_of(w, submission, campaign_id)
    earlier = await earlier_submissions(w, attention, campaign_id, segment)
    return SegmentForm(attention, segment, form, submission, earlier)


async def _writable(
    w: Work, user: User, attention_id: int
) -> tuple[Attention, Form, FormSubmission]:
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("write", attention.state)
    submission = await _submission(w, attention, attention.segment)
    form = await _form_of(w, submission, attention.campaign_id)
    if form is None:
        raise Invalid("no_form", "La campaña no tiene formulario.")
    if submission is None:
        submission = await _new_submission(w, attention, form)
    return attention, form, submission


async def _new_submission(w: Work, attention: Attention, form: Form) -> FormSubmission:
    earlier = await earlier_submissions(w, attention, attention.campaign_id, attention.segment)
    submission = FormSubmission(
        attention_id=attention.id,
        segment=attention.segment,
        campaign_id=attention.campaign_id,
        form_id=form.id,
        values=start_values(form, earlier),
    )
    w.session.add(submission)
    return submission


async def do_save_draft(
    w: Work, user: User, attention_id: int, values: dict[str, Any]
) -> tuple[FormSubmission, dict[str, str]]:
    """Kept as typed, so nothing the agent wrote is lost; the errors only inform."""
    _, form, submission = await _writable(w, user, attention_id)
    known = {f.key for f in form.fields}
    draft = {k: v for k, v in values.items() if k in known}
    if len(repr(draft)) > MAX_DRAFT_BYTES:
        raise Invalid("draft_too_large", "El borrador es demasiado grande.")
    submission.values = draft
    submission.updated_at = utcnow()
    await w.session.flush()
    _, problems = validate(specs(form), draft, require=False)
    return submission, messages(problems)


async def do_submit(
    w: Work, user: User, attention_id: int, values: dict[str, Any]
) -> FormSubmission:
    attention, form, submission = await _writable(w, user, attention_id)
    clean, problems = validate(specs(form), values, require=True)
    if problems:
        names = ", ".join(f.label for f in form.fields if f.key in problems)
        raise Invalid(
            "form_invalid",
            f"Revise los campos: {names}.",
            {"errors": messages(problems), "error_codes": codes(problems)},
            params={"fields": names},
        )
    _store(w, user, attention, submission, clean)
    await w.session.flush()
    return submission


def _store(
    w: Work, user: User, attention: Attention, submission: FormSubmission, clean: dict[str, Any]
) -> None:
    submission.values = clean
    submission.submitted_at = utcnow()
    submission.submitted_by_id = user.id
    submission.updated_at = submission.submitted_at
    record(
        w,
        attention,
        "form_submitted",
        actor_id=user.id,
        data={"form_id": submission.form_id, "segment": attention.segment},
    )


async def submit_for_end(w: Work, user: User, attention: Attention) -> None:
    """Ending needs every required field of the current campaign's form (SPEC §3.6): the
    server checks, naming the fields; the draft becomes the submission."""
    submission = await _submission(w, attention, attention.segment)
    form = await _form_of(w, submission, attention.campaign_id)
    if form is None:
        return
    if submission is None:
        submission = await _new_submission(w, attention, form)
    values = submission.values
    fields = specs(form)
    clean, problems = validate(fields, values, require=True)
    missing = missing_required(fields, values)
    if problems or missing:
        labels = [f.label for f in missing] or [f.label for f in fields if f.key in problems]
        raise Invalid(
            "form_incomplete",
            "Complete los campos obligatorios: " + ", ".join(labels) + "."
            if missing
            else "Revise los campos: " + ", ".join(labels) + ".",
            {
                "errors": messages(problems),
                "error_codes": codes(problems),
                "fields": [f.key for f in missing],
            },
            params={"fields": ", ".join(labels), "reason": "missing" if missing else "invalid"},
        )
    if submission.submitted_at is None or submission.values != clean:
        _store(w, user, attention, submission, clean)
