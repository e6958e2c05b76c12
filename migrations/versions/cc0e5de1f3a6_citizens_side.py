"""the citizens' side: why a writer was not satisfied (rating_reasons), and Chinese search
over the published letters (public_search: the texts' CJK bigrams, a GIN-indexed text[]
on PostgreSQL, text on SQLite) with partial indexes for the public list filtered by unit or category

Revision ID: cc0e5de1f3a6
Revises: f6a7b8c9d0e1
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "cc0e5de1f3a6"
down_revision = "f6a7b8c9d0e1"
branch_labels = None
depends_on = None

PUBLISHED = sa.text("published_at IS NOT NULL")
LIST_INDEXES = [("ix_cases_published_unit", ["unit_id", "published_at", "id"]),
                ("ix_cases_published_category", ["category", "published_at", "id"])]


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_search", sa.Text().with_variant(postgresql.ARRAY(sa.Text()), "postgresql"),
                                      nullable=True))
        batch_op.add_column(sa.Column("rating_reasons", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                                      nullable=True))
        for name, columns in LIST_INDEXES:
            batch_op.create_index(name, columns, unique=False, postgresql_where=PUBLISHED, sqlite_where=PUBLISHED)
    _backfill_search()
    # A plain column index (GIN on PostgreSQL): the planner reads a column's statistics
    # (how common each bigram is), not those of a partial or expression index.
    op.create_index("ix_cases_public_search", "cases", ["public_search"], postgresql_using="gin")


def _backfill_search():
    # Letters published before this revision get their tokens once, here.
    from casework.text_search import index_tokens

    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    rows = conn.execute(sa.text("SELECT id, public_subject, public_body, public_reply FROM cases "
                                "WHERE published_at IS NOT NULL")).all()
    for row in rows:
        tokens = index_tokens(row.public_subject or "", row.public_body or "", row.public_reply or "")
        conn.execute(sa.text("UPDATE cases SET public_search = :tokens WHERE id = :id"),
                     {"id": row.id, "tokens": tokens if postgres else " ".join(tokens)})


def downgrade():
    op.drop_index("ix_cases_public_search", table_name="cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, _columns in LIST_INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column("rating_reasons")
        batch_op.drop_column("public_search")
