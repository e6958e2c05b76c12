"""Public pages for citizens (no login): write a letter, follow it, rate it, read the
published answers. Nothing here shows personal data."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from workflows.errors import DomainError, Invalid

from ..extensions import limiter
from ..http_errors import status_of
from ..services import public_letters
from ..services.attachments import Upload

bp = Blueprint("letters", __name__, url_prefix="/letters")


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def new():
    if request.method == "GET":
        return render_template("letters/new.html", fields=public_letters.PUBLIC_FIELDS, values={}, errors={})
    if request.form.get("website"):
        abort(400)  # the honeypot field is hidden from people; only robots fill it in
    uploads = [Upload(f.filename or "", f.read()) for f in request.files.getlist("attachment") if f.filename]
    try:
        case, code = public_letters.submit(request.form, request.form.get("consent") == "1", uploads)
    except Invalid as exc:
        return render_template("letters/new.html", fields=public_letters.PUBLIC_FIELDS, values=request.form,
                               errors=exc.fields, error=exc.message), 400
    return render_template("letters/submitted.html", number=case.number, code=code)


@bp.route("/query", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def query():
    if request.method == "GET":
        return render_template("letters/query.html")
    code = request.form.get("code", "")
    try:
        if request.form.get("rating"):
            public_letters.rate(code, request.form["rating"], request.form.get("comment", ""))
        progress = public_letters.progress(code)
    except DomainError as exc:
        return render_template("letters/query.html", code=code, error=exc.message), status_of(exc)
    return render_template("letters/query.html", code=code, progress=progress,
                           ratings=public_letters.RATINGS, rated=bool(request.form.get("rating")))


@bp.get("")
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = public_letters.published(page)
    return render_template("letters/index.html", rows=rows, total=total, page=page,
                           handling=public_letters.handling_days)


@bp.get("/<number>")
def show(number: str):
    case = public_letters.published_one(number)
    return render_template("letters/show.html", case=case, days=public_letters.handling_days(case))
