"""what the office issues: the sites and accounts a round checked (round_members), the
imported row's text (findings.source_cells), published rounds (round_publications) and the
register of issued notices with their 文号 (notices). A round's hand-typed counts
(sites_checked, accounts_checked) give way to its members: existing rounds get the sites
and accounts of their findings.

Revision ID: d33306e033e1
Revises: c21cf7b16fc4
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "d33306e033e1"
down_revision = "c21cf7b16fc4"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
APPEND_ONLY = ("round_publications", "notices")


def _append_only(table):
    """The same guards as published_stats (see models/audit_guard.py)."""
    if op.get_bind().dialect.name == "postgresql":
        return [f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger
                    LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$""",
                f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"""]
    return [f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
            f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""]


def upgrade():
    op.create_table(
        "round_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("website_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(website_id IS NULL) <> (account_id IS NULL)", name=op.f("ck_round_members_one_target")),
        sa.ForeignKeyConstraint(["account_id"], ["new_media_accounts.id"],
                                name=op.f("fk_round_members_account_id_new_media_accounts")),
        sa.ForeignKeyConstraint(["round_id"], ["inspection_rounds.id"],
                                name=op.f("fk_round_members_round_id_inspection_rounds")),
        sa.ForeignKeyConstraint(["website_id"], ["websites.id"], name=op.f("fk_round_members_website_id_websites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_members")),
        sa.UniqueConstraint("round_id", "account_id", name="uq_round_members_account"),
        sa.UniqueConstraint("round_id", "website_id", name="uq_round_members_website"),
    )
    with op.batch_alter_table("round_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_members_round_id"), ["round_id"], unique=False)

    op.create_table(
        "round_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", JSON, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["published_by_id"], ["users.id"], name=op.f("fk_round_publications_published_by_id_users")),
        sa.ForeignKeyConstraint(["round_id"], ["inspection_rounds.id"],
                                name=op.f("fk_round_publications_round_id_inspection_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_publications")),
        sa.UniqueConstraint("round_id", "version", name=op.f("uq_round_publications_round_id")),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("texts", JSON, nullable=False),
        sa.Column("stats_id", sa.Integer(), nullable=True),
        sa.Column("round_publication_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["round_publication_id"], ["round_publications.id"],
                                name=op.f("fk_notices_round_publication_id_round_publications")),
        sa.ForeignKeyConstraint(["stats_id"], ["published_stats.id"], name=op.f("fk_notices_stats_id_published_stats")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("code", "year", "seq", name=op.f("uq_notices_code")),
        sa.UniqueConstraint("number", name=op.f("uq_notices_number")),
        sa.UniqueConstraint("round_publication_id", name=op.f("uq_notices_round_publication_id")),
        sa.UniqueConstraint("stats_id", name=op.f("uq_notices_stats_id")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_cells", JSON, nullable=True))

    # What existing rounds checked, as far as is known: the sites and accounts of their findings.
    op.execute("""INSERT INTO round_members (round_id, website_id, account_id, source, added_at)
                  SELECT DISTINCT round_id, website_id, CAST(NULL AS INTEGER), 'table', CURRENT_TIMESTAMP FROM findings
                  WHERE website_id IS NOT NULL""")
    op.execute("""INSERT INTO round_members (round_id, website_id, account_id, source, added_at)
                  SELECT DISTINCT round_id, CAST(NULL AS INTEGER), account_id, 'table', CURRENT_TIMESTAMP FROM findings
                  WHERE account_id IS NOT NULL""")
    with op.batch_alter_table("inspection_rounds", schema=None) as batch_op:
        batch_op.drop_column("accounts_checked")
        batch_op.drop_column("sites_checked")
    for table in APPEND_ONLY:
        for sql in _append_only(table):
            op.execute(sql)


def downgrade():
    with op.batch_alter_table("inspection_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sites_checked", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("accounts_checked", sa.Integer(), nullable=True))
    # A round's members become its counts again.
    for column, target in (("sites_checked", "website_id"), ("accounts_checked", "account_id")):
        op.execute(f"""UPDATE inspection_rounds SET {column} = (SELECT count(*) FROM round_members m
                       WHERE m.round_id = inspection_rounds.id AND m.{target} IS NOT NULL)""")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("source_cells")
    op.drop_table("notices")
    op.drop_table("round_publications")
    with op.batch_alter_table("round_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_members_round_id"))
    op.drop_table("round_members")
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
