"""dispatch catalogue (派单目录) with its versions; 回访 (callbacks) and exclusions from
evaluation (不合理诉求); the response clock on cases (respond_by, responded_on_time);
the default response (1 working day) and callback (3 working days) rules for letters
in a database whose rules were seeded before these stages existed.

Revision ID: 7c3e9a1d5b20
Revises: a9c3e5f7b1d2
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "7c3e9a1d5b20"
down_revision = "a9c3e5f7b1d2"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)
NEW_RULES = [("response", 1, "派单后 1 个工作日内签收"), ("callback", 3, "办结后 3 个工作日内回访")]


def upgrade():
    op.create_table(
        "catalogue_versions",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_table(
        "catalogue_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("superseded_in", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=True),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("area", sa.String(length=50), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("basis_kind", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=300), nullable=False),
        sa.Column("city_level", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["superseded_in"], ["catalogue_versions.number"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["version"], ["catalogue_versions.number"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("catalogue_entries", schema=None) as batch_op:
        batch_op.create_index("ix_catalogue_entries_matter_id", ["matter_id"], unique=False)
        batch_op.create_index("ix_catalogue_entries_current", ["matter_id"], unique=False,
                              postgresql_where=sa.text("superseded_in IS NULL"),
                              sqlite_where=sa.text("superseded_in IS NULL"))
    op.create_table(
        "callbacks",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("case_id", BIG_ID, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("opened_at", AT, nullable=False),
        sa.Column("due_at", AT, nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=True),
        sa.Column("satisfaction", sa.String(length=24), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("called_at", AT, nullable=True),
        sa.Column("called_by_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_at", AT, nullable=True),
        sa.ForeignKeyConstraint(["called_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "round"),
    )
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.create_index("ix_callbacks_due", ["due_at", "id"], unique=False,
                              postgresql_where=sa.text("status = 'due'"),
                              sqlite_where=sa.text("status = 'due'"))
        batch_op.create_index("ix_callbacks_done_case", ["case_id"], unique=True,
                              postgresql_where=sa.text("status = 'done'"),
                              sqlite_where=sa.text("status = 'done'"))
    op.create_table(
        "evaluation_exclusions",
        sa.Column("case_id", BIG_ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("case_id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("respond_by", AT, nullable=True))
        batch_op.add_column(sa.Column("responded_on_time", sa.Boolean(), nullable=True))

    rules = sa.table("deadline_rules", sa.column("case_type"), sa.column("stage"), sa.column("kind"),
                     sa.column("days"), sa.column("label"), sa.column("from_receipt"),
                     sa.column("escalate_after_days"), sa.column("effective_from", AT))
    bind = op.get_bind()
    # An empty table is seeded whole by the app (policy.ensure_defaults).
    if bind.execute(sa.text("SELECT count(*) FROM deadline_rules")).scalar():
        now = datetime.now(timezone.utc)
        op.bulk_insert(rules, [{"case_type": "letter", "stage": stage, "kind": "working_days", "days": days,
                                "label": label, "from_receipt": False, "escalate_after_days": 2,
                                "effective_from": now} for stage, days, label in NEW_RULES])


def downgrade():
    op.execute("DELETE FROM deadline_rules WHERE stage IN ('response', 'callback')")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("responded_on_time")
        batch_op.drop_column("respond_by")
    op.drop_table("evaluation_exclusions")
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.drop_index("ix_callbacks_done_case")
        batch_op.drop_index("ix_callbacks_due")
    op.drop_table("callbacks")
    with op.batch_alter_table("catalogue_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_catalogue_entries_current")
        batch_op.drop_index("ix_catalogue_entries_matter_id")
    op.drop_table("catalogue_entries")
    op.drop_table("catalogue_versions")
