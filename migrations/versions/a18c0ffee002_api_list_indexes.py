"""indexes for the API's case list (newest first, filtered by state or unit): a page and
its capped count read rows in index order instead of sorting every match

Revision ID: a18c0ffee002
Revises: a18c0ffee001
"""
from alembic import op

revision = "a18c0ffee002"
down_revision = "a18c0ffee001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_state_id", ["state", "id"], unique=False)
        batch_op.create_index("ix_cases_unit_id", ["unit_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_unit_id")
        batch_op.drop_index("ix_cases_state_id")
