"""website_status_changes: a site closed (关停) or reopened, with its reason and who did it

Revision ID: a1b2c3d4e5f7
Revises: a15c0d15b7e1
"""
import sqlalchemy as sa
from alembic import op

revision = "a1b2c3d4e5f7"
down_revision = "a15c0d15b7e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "website_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("website_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=False),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["website_id"], ["websites.id"], name=op.f("fk_website_status_changes_website_id_websites")),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_website_status_changes_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_website_status_changes")),
    )
    with op.batch_alter_table("website_status_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_website_status_changes_website_id"), ["website_id"], unique=False)


def downgrade():
    with op.batch_alter_table("website_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_website_status_changes_website_id"))
    op.drop_table("website_status_changes")
