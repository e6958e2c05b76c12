"""split the public side out of `cases`: the published answer (case_publications, with
the case's unit and category as published, so the public list's partial indexes stay on
one table) and the writer's rating (case_ratings), each one-to-one with its case. The
existing rows move over, and back on downgrade.

Revision ID: a9c3e5f7b1d2
Revises: f0198e8e5af5
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a9c3e5f7b1d2"
down_revision = "f0198e8e5af5"
branch_labels = None
depends_on = None

TOKENS = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MOMENT = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PUBLISHED = sa.text("published_at IS NOT NULL")
# What `cases` held before: (name, columns, where) of its public-side indexes.
CASE_INDEXES = [("ix_cases_published_unit", ["unit_id", "published_at", "id"], PUBLISHED),
                ("ix_cases_published_category", ["category", "published_at", "id"], PUBLISHED),
                ("ix_cases_unsatisfied", ["rated_at"], sa.text("rating = 'unsatisfied'")),
                ("ix_cases_published_at", ["published_at"], None)]


def _public_columns() -> list[sa.Column]:
    """The columns that move out of `cases`, as they were there (fresh objects: a Column
    belongs to one table)."""
    return [sa.Column("public_subject", sa.String(length=200), nullable=True),
            sa.Column("public_body", sa.Text(), nullable=True),
            sa.Column("public_reply", sa.Text(), nullable=True),
            sa.Column("published_at", MOMENT, nullable=True),
            sa.Column("public_search", TOKENS, nullable=True),
            sa.Column("rating", sa.String(length=24), nullable=True),
            sa.Column("rating_comment", sa.Text(), nullable=True),
            sa.Column("rating_reasons", JSON, nullable=True),
            sa.Column("rated_at", MOMENT, nullable=True)]


PUBLICATION_INDEXES = [("ix_case_publications_at", ["published_at", "case_id"]),
                       ("ix_case_publications_unit", ["unit_id", "published_at", "case_id"]),
                       ("ix_case_publications_category", ["category", "published_at", "case_id"])]


def upgrade():
    op.create_table(
        "case_publications",
        sa.Column("case_id", BIG_ID, nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("search", TOKENS, nullable=True),
        sa.Column("published_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_publications_case_id_cases")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_case_publications_unit_id_units")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_publications")),
    )
    op.create_table(
        "case_ratings",
        sa.Column("case_id", BIG_ID, nullable=False),
        sa.Column("grade", sa.String(length=24), nullable=False),
        sa.Column("reasons", JSON, nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rated_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_ratings_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_ratings")),
    )
    # A letter published once and withdrawn keeps its texts (public_body set, published_at
    # NULL): that row moves too. A rating always came with its moment.
    op.execute("INSERT INTO case_publications (case_id, unit_id, category, subject, body, reply, search, published_at) "
               "SELECT id, unit_id, category, COALESCE(public_subject, ''), COALESCE(public_body, ''), "
               "COALESCE(public_reply, ''), public_search, published_at FROM cases "
               "WHERE public_body IS NOT NULL OR published_at IS NOT NULL")
    op.execute("INSERT INTO case_ratings (case_id, grade, reasons, comment, rated_at) "
               "SELECT id, rating, rating_reasons, rating_comment, COALESCE(rated_at, updated_at) FROM cases "
               "WHERE rating IS NOT NULL")
    for name, columns in PUBLICATION_INDEXES:
        op.create_index(name, "case_publications", columns, unique=False,
                        postgresql_where=PUBLISHED, sqlite_where=PUBLISHED)
    op.create_index("ix_case_publications_search", "case_publications", ["search"], postgresql_using="gin")
    unsatisfied = sa.text("grade = 'unsatisfied'")
    op.create_index("ix_case_ratings_unsatisfied", "case_ratings", ["rated_at"], unique=False,
                    postgresql_where=unsatisfied, sqlite_where=unsatisfied)

    # Plain ALTER TABLE, no batch copy of `cases` (SQLite has DROP COLUMN since 3.35): a
    # copy drops the old table, which SQLite refuses while its foreign keys point at it.
    op.drop_index("ix_cases_public_search", table_name="cases")
    for name, _columns, _where in CASE_INDEXES:
        op.drop_index(name, table_name="cases")
    for column in _public_columns():
        op.drop_column("cases", column.name)


def downgrade():
    for column in _public_columns():
        op.add_column("cases", column)
    for column, source in (("public_subject", "subject"), ("public_body", "body"), ("public_reply", "reply"),
                           ("published_at", "published_at"), ("public_search", "search")):
        op.execute(f"UPDATE cases SET {column} = (SELECT p.{source} FROM case_publications p "
                   "WHERE p.case_id = cases.id)")
    for column, source in (("rating", "grade"), ("rating_comment", "comment"), ("rating_reasons", "reasons"),
                           ("rated_at", "rated_at")):
        op.execute(f"UPDATE cases SET {column} = (SELECT r.{source} FROM case_ratings r WHERE r.case_id = cases.id)")
    for name, columns, where in CASE_INDEXES:
        op.create_index(name, "cases", columns, unique=False,
                        **({"postgresql_where": where, "sqlite_where": where} if where is not None else {}))
    op.create_index("ix_cases_public_search", "cases", ["public_search"], postgresql_using="gin")
    op.drop_index("ix_case_ratings_unsatisfied", table_name="case_ratings")
    op.drop_table("case_ratings")
    for name, _columns in PUBLICATION_INDEXES:
        op.drop_index(name, table_name="case_publications")
    op.drop_index("ix_case_publications_search", table_name="case_publications")
    op.drop_table("case_publications")
