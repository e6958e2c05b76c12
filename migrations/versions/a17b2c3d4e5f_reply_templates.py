"""reply templates (答复模板): a unit's own and the office's, with placeholders.

Revision ID: a17b2c3d4e5f
Revises: a1b2c3d4e5f7
"""
import sqlalchemy as sa
from alembic import op

revision = "a17b2c3d4e5f"
down_revision = "a1b2c3d4e5f7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reply_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=True),
        sa.Column("title", sa.String(60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reply_templates_unit", "reply_templates", ["unit_id", "title"])


def downgrade():
    op.drop_index("ix_reply_templates_unit", table_name="reply_templates")
    op.drop_table("reply_templates")
