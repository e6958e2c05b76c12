"""public_names: the office's allow list of names that redaction publishes as written

Revision ID: eb137bdc1969
Revises: dc299853d5ce
"""
import sqlalchemy as sa
from alembic import op

revision = "eb137bdc1969"
down_revision = "dc299853d5ce"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "public_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_names")),
        sa.UniqueConstraint("name", name=op.f("uq_public_names_name")),
    )


def downgrade():
    op.drop_table("public_names")
