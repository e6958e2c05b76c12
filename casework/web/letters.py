"""Public pages for citizens (no login): write a letter, follow it, read the answer, rate
it, read the published answers. Nothing here shows anyone's name or phone.

Every form posts, then redirects (post/redirect/get): reloading the confirmation or
going Back never files a letter or a rating twice. Which letters this browser may follow
is kept in the (signed, HttpOnly) session after the writer proved it with the query code
or with the letter's number and phone; the code never appears in an address.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, request, session, url_for

from workflows import case_flow, citizen
from workflows.errors import DomainError, Invalid, NotFound
from workflows.vocabulary import LETTER_CATEGORIES

from .. import clock
from ..extensions import limiter
from ..http_errors import status_of
from ..permissions import Citizen
from ..queries import letter_progress, public_letters
from ..services import case_actions, lookup
from ..services import public_letters as letters_service
from ..services.attachments import Upload
from .render import page

bp = Blueprint("letters", __name__, url_prefix="/letters")

FOLLOWING, SUBMITTED = "following", "submitted"
SHOW_CODE_FOR = timedelta(minutes=30)
WRITE_CATEGORIES = {k: v for k, v in LETTER_CATEGORIES.items() if k != "urgent"}


def _private(response):
    # A page with a query code or an answer: no copy in any cache, shared or not.
    response.headers["Cache-Control"] = "no-store"
    return response


def _grant(number: str) -> None:
    numbers = [n for n in session.get(FOLLOWING, []) if n != number]
    session[FOLLOWING] = (numbers + [number])[-20:]


def _form(values, errors=None, message=None, status=200):
    return page("letters/new.html", status=status, fields=letters_service.PUBLIC_FIELDS,
                categories=WRITE_CATEGORIES, limits=letter_progress.reply_limits(WRITE_CATEGORIES),
                values=values, errors=errors or {}, error=message)


@bp.route("/new", methods=["GET", "POST"])
# Only letters filed count: a refused form sent again after a correction is the same letter.
@limiter.limit("5 per hour;20 per day", methods=["POST"], deduct_when=lambda response: response.status_code == 303)
def new():
    if request.method == "GET":
        return _form({})
    if request.form.get("website"):
        abort(400)  # the honeypot field is hidden from people; only robots fill it in
    uploads = [Upload(f.filename or "", f.read()) for f in request.files.getlist("attachment") if f.filename]
    try:
        case, code = letters_service.submit(request.form, request.form.get("consent") == "1", uploads)
    except Invalid as exc:
        return _form(request.form, exc.fields, "提交未成功，请按提示修改后再提交。", 400)
    session[SUBMITTED] = {"number": case.number, "code": code, "at": clock.now().isoformat()}
    _grant(case.number)
    return redirect(url_for("letters.submitted"), code=303)


@bp.get("/submitted")
def submitted():
    shown = session.get(SUBMITTED)
    if not shown or clock.now() - datetime.fromisoformat(shown["at"]) > SHOW_CODE_FOR:
        session.pop(SUBMITTED, None)
        flash("确认页面已过期。请用查询码，或来信编号加联系电话查询办理进度。", "error")
        return redirect(url_for("letters.query"), code=303)
    case = letter_progress.by_code(shown["code"])
    limit = letter_progress.reply_limit_days(case.category, case.channel)
    return _private(page("letters/submitted.html", number=shown["number"], code=shown["code"],
                         category=case.category_label, limit=citizen.after_dispatch(limit)))


@bp.route("/query", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def query():
    if request.method == "GET":
        return page("letters/query.html", values={}, errors={})
    form = request.form
    try:
        if form.get("by") == "number":
            case = letter_progress.by_number_and_phone(form.get("number", ""), form.get("phone", ""))
        else:
            case = letter_progress.by_code(form.get("code", ""))
    except DomainError as exc:
        field = "number" if form.get("by") == "number" else "code"
        return page("letters/query.html", status=status_of(exc), values=form, errors={field: exc.message},
                    by=form.get("by"))
    _grant(case.number)
    return redirect(url_for("letters.progress", number=case.number), code=303)


def _citizen() -> Citizen:
    return Citizen(frozenset(session.get(FOLLOWING, [])))


def _followed(number: str):
    try:
        return lookup.case_for(_citizen(), number)
    except DomainError:
        return None


def _progress_page(case, form=None, errors=None, status=200):
    return _private(page("letters/progress.html", status=status, p=letter_progress.progress(case),
                         ratings=citizen.RATINGS, reasons=citizen.UNSATISFIED_REASONS,
                         values=form or {}, chosen=form.getlist("reasons") if form else [],
                         errors=errors or {}))


@bp.get("/progress/<number>")
def progress(number: str):
    case = _followed(number)
    if case is None:
        flash("请先输入查询码，或来信编号和联系电话。", "error")
        return redirect(url_for("letters.query"), code=303)
    return _progress_page(case)


@bp.post("/progress/<number>/rate")
@limiter.limit("20 per hour")
def rate(number: str):
    form = request.form
    try:
        # The event's own lookup decides whether this browser follows the letter (404 if not).
        case_actions.perform(_citizen(), number, "rate", {
            "rating": form.get("rating", ""), "reasons": form.getlist("reasons"), "comment": form.get("comment", "")})
    except NotFound:
        abort(404)
    except Invalid as exc:
        return _progress_page(lookup.case_for(_citizen(), number), form, exc.fields, 400)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("letters.progress", number=number), code=303)
    flash(case_flow.spec("rate").done)
    return redirect(url_for("letters.progress", number=number), code=303)


@bp.post("/forget")
def forget():
    """On a shared computer: this browser no longer follows any letter."""
    session.pop(FOLLOWING, None)
    session.pop(SUBMITTED, None)
    flash("已退出查询。再次查看需要重新输入查询码。")
    return redirect(url_for("letters.query"), code=303)


@bp.get("")
def index():
    filters = public_letters.Filters.from_args(request.args)
    listing = public_letters.listing(filters, request.args.get("page", 1, type=int))
    return page("letters/index.html", listing=listing, f=filters, units=public_letters.units_with_letters(),
                categories=WRITE_CATEGORIES, handling=citizen.handling_text)


@bp.get("/<number>")
def show(number: str):
    case = public_letters.one(number)
    return page("letters/show.html", case=case, days=citizen.handling_text(case.handling_days))
