"""What the form panel shows for one attention: the form, the values, what is still wrong."""

from atiende.actions import forms
from atiende.actions.lookups import campaigns_by_id
from atiende.actions.work import Work
from atiende.db.models import Form, FormSubmission, User
from atiende.domain.forms import FieldProblem, codes, messages, validate
from atiende.schemas.forms import FormOut, FormState


async def state_for(w: Work, user: User, attention_id: int) -> FormState:
    attention, segment, form, submission = await forms.do_get_state(w, user, attention_id)
    name = await _campaign_name(w, form.campaign_id if form else attention.campaign_id)
    return _state(segment, form, submission, name)


async def state_of(w: Work, submission: FormSubmission) -> FormState:
    """The state after a draft was saved or the form submitted."""
    form = await w.session.get(Form, submission.form_id)
    name = await _campaign_name(w, submission.campaign_id)
    return _state(submission.segment, form, submission, name)


def _state(
    segment: int, form: Form | None, submission: FormSubmission | None, campaign_name: str
) -> FormState:
    values = submission.values if submission else {}
    problems: dict[str, FieldProblem] = {}
    if form is not None:
        _, problems = validate(forms.specs(form), values, require=False)
    return FormState(
        form=FormOut.of(form, campaign_name) if form else None,
        values=values,
        submitted_at=submission.submitted_at if submission else None,
        segment=segment,
        errors=messages(problems),
        error_codes=codes(problems),
    )


async def _campaign_name(w: Work, campaign_id: int) -> str:
    campaigns = await campaigns_by_id(w, {campaign_id})
    return campaigns[campaign_id].name if campaign_id in campaigns else ""
