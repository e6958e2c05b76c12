"""Messages leaving the system: e-mail (SMTP) and a generic webhook (WeCom and DingTalk
group robots accept its JSON). Rows are written with the event that caused them; a job
sends what is due, marks each row as it goes, and raises if anything failed so that RQ
retries it. Nothing is sent outside working hours."""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from datetime import datetime, time
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from workflows.clock import local_date, local_moment, to_local
from workflows.deadlines import REMIND_AT

from .. import calendar
from ..events import DeliveriesQueued
from ..extensions import db
from ..models import Delivery, EmailOptOut, Notification, Unit, User
from ..pipeline import emit
from .bulk import insert_ignoring_duplicates
from .tx import transaction

log = logging.getLogger(__name__)
OFFICE_HOURS = (time(*REMIND_AT), time(18, 0))
BATCH = 500


class DeliveryFailed(RuntimeError):
    """Some messages could not be sent; they stay in the outbox for the retry."""


def working_moment(now: datetime) -> datetime:
    """`now` if it is within office hours of a working day, else 08:30 of the next one."""
    local = to_local(now)
    today = local.date()
    if calendar.is_working_day(today) and OFFICE_HOURS[0] <= local.time() < OFFICE_HOURS[1]:
        return now
    if calendar.is_working_day(today) and local.time() < OFFICE_HOURS[0]:
        return local_moment(today, *REMIND_AT)
    return local_moment(calendar.add_working_days(today, 1), *REMIND_AT)


def queue_messages(mails: list[tuple[str, str, str]], hooks: list[tuple[str, str]], now: datetime) -> None:
    """Inside the caller's transaction: outbox rows for (address, text, key) e-mails and
    (text, key) webhook posts, for the channels that are configured."""
    config = current_app.config
    when = working_moment(now)
    rows = []
    if config.get("MAIL_SERVER"):
        rows += [{"channel": "email", "recipient": address, "subject": _subject(text), "body": text,
                  "dedupe_key": f"email:{key}", "not_before": when, "created_at": now}
                 for address, text, key in mails]
    if config.get("WEBHOOK_URL"):
        rows += [{"channel": "webhook", "recipient": config["WEBHOOK_URL"], "subject": _subject(text),
                  "body": text, "dedupe_key": f"webhook:{key}", "not_before": when, "created_at": now}
                 for text, key in hooks]
    if rows:
        insert_ignoring_duplicates(Delivery.__table__, rows)
        emit(DeliveriesQueued(when))


def _subject(text: str) -> str:
    return text.split("】", 1)[0].lstrip("【") + "提醒" if text.startswith("【") else "督办系统提醒"


def deliver_pending(now: datetime) -> int:
    """Send what is due; returns how many went out. Raises DeliveryFailed if any failed."""
    ids = db.session.scalars(sa.select(Delivery.id).where(
        Delivery.sent_at.is_(None), Delivery.not_before <= now).order_by(Delivery.id).limit(BATCH)).all()
    sent, failed = 0, 0
    for delivery_id in ids:
        with transaction():
            row = db.session.get(Delivery, delivery_id, with_for_update={"skip_locked": True}) \
                if db.session.get_bind().dialect.name == "postgresql" else db.session.get(Delivery, delivery_id)
            if row is None or row.sent_at is not None:
                continue  # another worker has it
            row.attempts += 1
            try:
                SENDERS[row.channel](row)
            except Exception as exc:  # noqa: BLE001 - any failure stays in the outbox for the retry
                row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                failed += 1
                log.warning("delivery %s to %s failed: %s", row.id, row.recipient, exc)
                continue
            row.sent_at = now
            sent += 1
    if failed:
        raise DeliveryFailed(f"{failed} message(s) not delivered; they will be retried")
    return sent


def send_email(row: Delivery) -> None:
    config = current_app.config
    msg = EmailMessage()
    msg["From"] = config.get("MAIL_FROM") or "casework@localhost"
    msg["To"] = row.recipient
    msg["Subject"] = row.subject
    msg.set_content(row.body)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=10) as smtp:
        smtp.send_message(msg)


def send_webhook(row: Delivery) -> None:
    payload = json.dumps({"msgtype": "text", "text": {"content": row.body}}, ensure_ascii=False)
    request = urllib.request.Request(row.recipient, data=payload.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - configured URL
        if response.status >= 300:
            raise RuntimeError(f"HTTP {response.status}")


SENDERS = {"email": send_email, "webhook": send_webhook}


def queue_digests(now: datetime) -> int:
    """One e-mail per user of a digest unit with what they were notified of since the
    last digest. Runs at 08:30; does nothing on days off."""
    if not calendar.is_working_day(local_date(now)) or not current_app.config.get("MAIL_SERVER"):
        return 0
    users = db.session.scalars(sa.select(User).join(Unit, User.unit_id == Unit.id).where(
        Unit.notify_digest.is_(True), User.active.is_(True), User.email.is_not(None))).all()
    queued = 0
    for user in users:
        with transaction():
            notes = db.session.scalars(sa.select(Notification).where(
                Notification.user_id == user.id, Notification.mailed_at.is_(None),
                Notification.created_at <= now).order_by(Notification.id)).all()
            for n in notes:
                n.mailed_at = now
            # The kinds this user switched off by e-mail stay out of the digest too.
            muted = db.session.scalars(sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)).all()
            notes = [n for n in notes if n.kind not in muted]
            if not notes:
                continue
            body = "\n".join(n.message for n in notes)
            db.session.add(Delivery(channel="email", recipient=user.email,
                                    subject=f"督办系统每日提醒（{len(notes)} 条）", body=body,
                                    dedupe_key=f"digest:{user.id}:{local_date(now)}",
                                    not_before=now, created_at=now))
            emit(DeliveriesQueued(now))
            queued += 1
    return queued


def next_due() -> datetime | None:
    """When the oldest unsent message may go out (for reconciliation)."""
    return db.session.scalar(sa.select(sa.func.min(Delivery.not_before)).where(Delivery.sent_at.is_(None)))
