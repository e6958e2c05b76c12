"""inbox index: INCLUDE (state) on PostgreSQL, so a unit's navigation counts are
index-only scans (measured: 23 ms -> a few ms for a unit with 17,000 waiting cases)

Revision ID: b7c1d2e3f4a5
Revises: ecf9843292dd
"""
import sqlalchemy as sa
from alembic import op

revision = "b7c1d2e3f4a5"
down_revision = "ecf9843292dd"
branch_labels = None
depends_on = None

TODO = sa.text("state IN ('approving', 'assigned', 'returned', 'suspended')")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no INCLUDE; its index stays as it was
    op.drop_index("ix_cases_unit_todo_due", table_name="cases")
    op.create_index("ix_cases_unit_todo_due", "cases", ["unit_id", "due_at"],
                    postgresql_include=["state"], postgresql_where=TODO)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_cases_unit_todo_due", table_name="cases")
    op.create_index("ix_cases_unit_todo_due", "cases", ["unit_id", "due_at"], postgresql_where=TODO)
