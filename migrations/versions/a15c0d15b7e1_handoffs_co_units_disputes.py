"""hand-off notices, 主办/协办 and 退单 review: case_co_units (a co-unit's due date, input
and lateness), case_disputes (a unit's 退单 and the dispatcher's decision),
notice_email_opt_outs (the kinds of notice a user does not want by e-mail), indexes for
reconciliation's sweep of hand-off notices (case_events by event and time, notifications
by case and key), and the
default deadline rules for co-units' input (2 working days before the lead's due date).

Revision ID: a15c0d15b7e1
Revises: 7c3e9a1d5b20
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "a15c0d15b7e1"
down_revision = "7c3e9a1d5b20"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)
CO_PENDING = sa.text("opinion_at IS NULL")
DISPUTE_OPEN = sa.text("decided_at IS NULL")
CO_RULE = "协办单位在主办单位办理期限前 2 个工作日提交协办意见"


def upgrade():
    op.create_table(
        "case_co_units",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("case_id", BIG_ID, nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("added_at", TIME, nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("due_at", TIME, nullable=False),
        sa.Column("remind_at", TIME, nullable=True),
        sa.Column("reminded_at", TIME, nullable=True),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("opinion_at", TIME, nullable=True),
        sa.Column("opinion_by_id", sa.Integer(), nullable=True),
        sa.Column("late_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_co_units_case_id_cases")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_case_co_units_unit_id_units")),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_case_co_units_added_by_id_users")),
        sa.ForeignKeyConstraint(["opinion_by_id"], ["users.id"],
                                name=op.f("fk_case_co_units_opinion_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_co_units")),
        sa.UniqueConstraint("case_id", "unit_id", name=op.f("uq_case_co_units_case_id")),
    )
    op.create_index("ix_case_co_units_unit_due", "case_co_units", ["unit_id", "due_at", "id"])
    op.create_index("ix_case_co_units_pending_due", "case_co_units", ["due_at"],
                    postgresql_where=CO_PENDING, sqlite_where=CO_PENDING)
    op.create_index("ix_case_co_units_pending_remind", "case_co_units", ["remind_at"],
                    postgresql_where=CO_PENDING, sqlite_where=CO_PENDING)

    op.create_table(
        "case_disputes",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("case_id", BIG_ID, nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_at", TIME, nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", TIME, nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_disputes_case_id_cases")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_case_disputes_unit_id_units")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_case_disputes_requested_by_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_case_disputes_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_disputes")),
    )
    op.create_index("ix_case_disputes_case", "case_disputes", ["case_id", "id"])
    op.create_index("ix_case_disputes_open", "case_disputes", ["requested_at", "id"],
                    postgresql_where=DISPUTE_OPEN, sqlite_where=DISPUTE_OPEN)
    op.create_index("ix_case_disputes_unit", "case_disputes", ["unit_id", "requested_at"])

    op.create_table(
        "notice_email_opt_outs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notice_email_opt_outs_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notice_email_opt_outs")),
    )

    op.create_index("ix_notifications_case_key", "notifications", ["case_id", "dedupe_key"])
    op.create_index("ix_case_events_event_at", "case_events", ["event", "at"])

    # The co-units' limit, for databases seeded before it existed (a new database gets
    # it from policy.ensure_defaults).
    rules = sa.table("deadline_rules", sa.column("case_type"), sa.column("stage"), sa.column("kind"),
                     sa.column("days"), sa.column("label"), sa.column("from_receipt", sa.Boolean),
                     sa.column("escalate_after_days"), sa.column("effective_from", TIME))
    connection = op.get_bind()
    if connection.scalar(sa.text("SELECT count(*) FROM deadline_rules")):
        now = datetime.now(UTC)
        if connection.dialect.name == "sqlite":
            now = now.replace(tzinfo=None)
        op.bulk_insert(rules, [{"case_type": t, "stage": "co", "kind": "before_lead", "days": 2,
                                "label": CO_RULE, "from_receipt": False, "escalate_after_days": 2,
                                "effective_from": now} for t in ("letter", "finding", "policy")])


def downgrade():
    op.execute(sa.text("UPDATE cases SET deadline_rule_id = NULL WHERE deadline_rule_id IN "
                       "(SELECT id FROM deadline_rules WHERE stage = 'co')"))
    op.execute(sa.text("DELETE FROM deadline_rules WHERE stage = 'co'"))
    op.drop_index("ix_case_events_event_at", table_name="case_events")
    op.drop_index("ix_notifications_case_key", table_name="notifications")
    op.drop_table("notice_email_opt_outs")
    op.drop_index("ix_case_disputes_unit", table_name="case_disputes")
    op.drop_index("ix_case_disputes_open", table_name="case_disputes")
    op.drop_index("ix_case_disputes_case", table_name="case_disputes")
    op.drop_table("case_disputes")
    op.drop_index("ix_case_co_units_pending_remind", table_name="case_co_units")
    op.drop_index("ix_case_co_units_pending_due", table_name="case_co_units")
    op.drop_index("ix_case_co_units_unit_due", table_name="case_co_units")
    op.drop_table("case_co_units")
