"""Workers that run jobs inside the app context of the same app factory.

RQ 3 calls perform_job(job, queue, execution); overriding it with *args keeps working
whatever the signature (a fixed (job, queue) override kills every job: docs/stack.md)."""

from __future__ import annotations

import logging
import threading

from flask import Flask
from rq import SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.timeouts import TimerDeathPenalty

from ..extensions import db
from ..redis_connection import redis_for
from . import tasks
from .connection import QUEUE, queue

log = logging.getLogger(__name__)


class AppContextMixin:
    app: Flask

    def perform_job(self, *args, **kwargs):
        with self.app.app_context():
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                db.session.remove()


class CaseworkWorker(AppContextMixin, Worker):
    """The production worker: forks a work horse per job."""

    def main_work_horse(self, *args, **kwargs):
        # Connections inherited from the parent must not be shared with it.
        with self.app.app_context():
            db.engine.dispose(close=False)
        return super().main_work_horse(*args, **kwargs)


class CaseworkSimpleWorker(AppContextMixin, SimpleWorker):
    """Runs jobs in the calling process (tests, the embedded demo)."""


class _ThreadWorker(CaseworkSimpleWorker):
    death_penalty_class = TimerDeathPenalty  # SIGALRM only works in the main thread

    def _install_signal_handlers(self):
        pass  # signal handlers can only be installed in the main thread


def make_worker(app: Flask, cls=CaseworkWorker):
    worker = cls([queue(app)], connection=redis_for(app))
    worker.app = app
    return worker


def cron_jobs() -> list[dict]:
    """The periodic jobs (cron times are UTC: 00:30 is 08:30 Beijing)."""
    return [
        {"func": tasks.reconcile, "queue_name": QUEUE, "interval": 180, "name": "reconcile"},
        {"func": tasks.deliver, "queue_name": QUEUE, "interval": 300, "name": "deliver"},
        {"func": tasks.send_digests, "queue_name": QUEUE, "cron": "30 0 * * *", "name": "digests"},
        # Daily; it publishes the previous month on the first working day only.
        {"func": tasks.publish_monthly, "queue_name": QUEUE, "cron": "35 0 * * *", "name": "monthly-stats"},
        {"func": tasks.expire_knowledge, "queue_name": QUEUE, "cron": "40 0 * * *", "name": "knowledge-expiry"},
    ]


def register_cron(cron: CronScheduler) -> CronScheduler:
    for job in cron_jobs():
        cron.register(**job)
    return cron


class EmbeddedWorker(threading.Thread):
    """Worker, scheduler and cron in one thread of the web process: the embedded demo
    keeps enforcing deadlines with no Redis server (fakeredis lives in this process)."""

    def __init__(self, app: Flask, tick: float = 1.0):
        super().__init__(name="casework-embedded-worker", daemon=True)
        self.app, self.tick = app, tick
        self.stopping = threading.Event()

    def run(self) -> None:
        worker = make_worker(self.app, _ThreadWorker)
        cron = register_cron(CronScheduler(connection=redis_for(self.app)))
        while not self.stopping.is_set():
            try:
                cron.enqueue_jobs()
                worker.work(burst=True, with_scheduler=True, logging_level="WARNING")
            except Exception:  # noqa: BLE001 - keep the demo's deadlines running
                log.exception("embedded worker tick failed")
            self.stopping.wait(self.tick)

    def stop(self) -> None:
        self.stopping.set()
