"""cases: the running clocks' index by due moment gains id, so the 督办 page's 即将超期 and
已超期 lists (ORDER BY due_at, id) read their rows in index order: thousands of cases share
the end of a working day as due moment, and each page sorted all of them (measured on
1,000,000 cases: 9.3 ms -> 0.06 ms for the first 20 due soon)

Revision ID: b2d4f6a8c0e1
Revises: a19d7e3c2b10
"""
import sqlalchemy as sa
from alembic import op

revision = "b2d4f6a8c0e1"
down_revision = "a19d7e3c2b10"
branch_labels = None
depends_on = None

RUNNING = sa.text("state IN ('approving', 'assigned', 'returned')")


def _replace(columns: list[str]) -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_running_due", postgresql_where=RUNNING, sqlite_where=RUNNING)
        batch_op.create_index("ix_cases_running_due", columns, unique=False,
                              postgresql_where=RUNNING, sqlite_where=RUNNING)


def upgrade():
    _replace(["due_at", "id"])


def downgrade():
    _replace(["due_at"])
