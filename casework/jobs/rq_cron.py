"""For `rq cron casework/jobs/rq_cron.py --url $REDIS_URL` (the same jobs as `flask cron`)."""

from rq import cron

from .worker import cron_jobs

for job in cron_jobs():
    cron.register(**job)
