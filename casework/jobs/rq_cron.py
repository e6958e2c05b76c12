"""For `rq cron casework/jobs/rq_cron.py --url $REDIS_URL` (the same jobs as `flask cron`)."""

from rq import cron

from . import tasks
from .connection import QUEUE

cron.register(tasks.reconcile, QUEUE, interval=180, name="reconcile")
cron.register(tasks.deliver, QUEUE, interval=300, name="deliver")
cron.register(tasks.send_digests, QUEUE, cron="30 0 * * *", name="digests")
