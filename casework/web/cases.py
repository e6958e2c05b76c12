"""The case page and every action on a case, as htmx swaps or plain form posts."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from workflows import case_flow
from workflows.clock import local_date
from workflows.errors import DomainError, Invalid

from .. import clock
from ..http_errors import status_of
from ..models import Case
from ..queries import case_page, finding_page, publication_preview, reply_templates
from ..queries.units import picker_units
from ..services import case_actions, drafts, lookup
from ..services.attachments import Upload
from .render import page, retarget, wants_fragment

bp = Blueprint("cases", __name__)

# Where a form came from decides where a plain post goes back to.
RETURN_TO = {"review": "review.index", "dispatch": "dispatch.index", "overview": "overview.index",
             "callbacks": "callbacks.index"}


def case_context(case: Case, errors: dict | None = None) -> dict:
    """What _case.html needs. `errors` = {event: (message, fields, values)} for a failed form."""
    now = clock.now()
    # The user itself, not the proxy: every guard reads it several times.
    allowed = case_flow.allowed_events(current_user._get_current_object(), case, now)
    # Publishing and withdrawing have their own panel (cases/_publication.html).
    panel = {s.name for s in allowed if s.opens == "panel"}
    allowed = [s for s in allowed if s.opens != "panel"]
    replying = any(s.reply for s in allowed)
    extras = case_page.extras(case, current_user.id if replying else None)
    return {
        "case": case, "now": now, "allowed": allowed, "errors": errors or {},
        # The redacted preview, while the reviewer may publish.
        "publication": publication_preview.preview(case) if "publish_answer" in panel else None,
        "finding": finding_page.facts(case) if case.type == "finding" else None,
        "timeline": case_page.timeline(case), "replies": case_page.replies(case),
        "attachments": extras.attachments, "duplicates": extras.duplicates, "draft": extras.draft,
        "units": picker_units() if any(f.kind in ("unit", "units") for s in allowed for f in s.fields)
        else [],
        "reply_templates": reply_templates.for_case(case, local_date(now)) if replying else [],
    }


@bp.get("/cases/<number>")
@login_required
def show(number: str):
    case = lookup.case_for(current_user, number)
    return page("cases/show.html", "cases/_case.html", **case_context(case))


def _uploads() -> list[Upload]:
    return [Upload(f.filename or "", f.read()) for f in request.files.getlist("files") if f.filename]


def form_fields(event: str) -> dict:
    """The posted form as the event's input: one value per field, except fields that take
    several (checkboxes and typed lines under one name), which get the list."""
    raw = request.form.to_dict()
    for f in case_flow.BY_NAME[event].fields if event in case_flow.BY_NAME else ():
        if f.kind in ("items", "units", "choices"):  # a multiple select, ticked boxes, typed lines
            raw[f.name] = request.form.getlist(f.name)
    return raw


@bp.post("/cases/<number>/events/<event>")
@login_required
def act(number: str, event: str):
    origin = request.form.get("_from", "")
    version = request.form.get("_version", "")
    try:
        case = case_actions.perform(current_user, number, event, form_fields(event),
                                    expected_version=int(version) if version.isdigit() else None,
                                    uploads=_uploads())
    except DomainError as exc:
        return _failed(number, event, exc, origin)
    done = case_flow.spec(event).done
    if event in ("assign", "reassign") and case.unit:
        done += f"：{case.unit.name}"  # where it went, which the picker's filter may have hidden
    # Named for its case: after a few actions in a queue, every message says which it was.
    message = f"{case.number} {done}"
    if wants_fragment():
        if origin in RETURN_TO:
            return render_template("cases/_done_item.html", case=case, message=done, origin=origin)
        return render_template("cases/_case.html", notice=message, **case_context(case))
    flash(message, "success")
    if origin in RETURN_TO:
        return redirect(url_for(RETURN_TO[origin]), code=303)
    return redirect(url_for("cases.show", number=number), code=303)



def _failed(number: str, event: str, exc: DomainError, origin: str):
    status = status_of(exc)
    fields = exc.fields if isinstance(exc, Invalid) else {}
    if status in (403, 404) or event not in case_flow.BY_NAME:
        raise exc  # the generic error page: nothing to show next to a form
    case = lookup.case_for(current_user, number)
    errors = {event: (exc.message, fields, request.form)}
    if wants_fragment():
        html = render_template("cases/_action_form.html", spec=case_flow.BY_NAME[event],
                               case=case, error=errors[event], origin=origin,
                               units=picker_units(), draft=None)
        return retarget(make_response(html, status), f"#form-{number}-{event}")
    return page("cases/show.html", status=status, **case_context(case, errors))


@bp.post("/cases/<number>/draft")
@login_required
def save_draft(number: str):
    try:
        draft = drafts.save(current_user, number, request.form.get("body", ""),
                            request.form.get("note", ""))
    except DomainError as exc:
        if wants_fragment():
            return render_template("cases/_draft_status.html", error=exc.message), status_of(exc)
        raise
    if wants_fragment():
        return render_template("cases/_draft_status.html", draft=draft)
    flash(f"{number} 的草稿已保存。", "success")
    return redirect(url_for("cases.show", number=number), code=303)


@bp.get("/cases/<number>/attachments/<int:attachment_id>")
@login_required
def attachment(number: str, attachment_id: int):
    case = lookup.case_for(current_user, number)
    att = case_page.attachment(case, attachment_id)
    return send_file(io.BytesIO(att.data), mimetype=att.content_type, as_attachment=True,
                     download_name=att.filename)
