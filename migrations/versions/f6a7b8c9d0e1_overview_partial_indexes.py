"""partial indexes for the office's pages: the review queue in its keyset order, and the
督办 page's three short lists (supervised, 不满意, extension requests), each of which was
a scan of the whole table (measured on 1,000,000 cases: 督办 page 370 ms -> 80 ms)

Revision ID: f6a7b8c9d0e1
Revises: e5f6a7b8c9d0
"""
import sqlalchemy as sa
from alembic import op

revision = "f6a7b8c9d0e1"
down_revision = "e5f6a7b8c9d0"
branch_labels = None
depends_on = None

SUPERVISED = sa.text("escalated_at IS NOT NULL AND state IN ('approving', 'assigned', 'returned', 'suspended')")
UNSATISFIED = sa.text("rating = 'unsatisfied'")
AWAITING_REVIEW = sa.text("state IN ('replied')")
EXTENSION_REQUESTED = sa.text("extension_days_requested IS NOT NULL")
INDEXES = [("ix_cases_review_queue", ["replied_at", "id"], AWAITING_REVIEW),
           ("ix_cases_supervised", ["escalated_at", "id"], SUPERVISED),
           ("ix_cases_unsatisfied", ["rated_at"], UNSATISFIED),
           ("ix_cases_extension_requested", ["due_at", "id"], EXTENSION_REQUESTED)]


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, columns, where in INDEXES:
            batch_op.create_index(name, columns, unique=False, postgresql_where=where, sqlite_where=where)


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, _columns, _where in INDEXES:
            batch_op.drop_index(name)
