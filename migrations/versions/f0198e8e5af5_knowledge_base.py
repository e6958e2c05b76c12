"""knowledge base: entries with their version history (append-only), the office's
synonym list, and search_docs, the jieba-segmented search index of entries, published
answers and letters: a generated tsvector column with partial GIN indexes on PostgreSQL,
an FTS5 table kept by triggers on SQLite. Existing letters and published answers are
indexed by `flask --app wsgi knowledge reindex` (segmenting needs jieba, not SQL).

Revision ID: f0198e8e5af5
Revises: d33306e033e1
"""
import sqlalchemy as sa
from alembic import op

revision = "f0198e8e5af5"
down_revision = "d33306e033e1"
branch_labels = None
depends_on = None

LETTERS = sa.text("kind = 'letter'")
PG = [
    """ALTER TABLE search_docs ADD COLUMN vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple', title_terms), 'A') ||
         setweight(to_tsvector('simple', body_terms), 'B')) STORED""",
    "CREATE INDEX ix_search_docs_public_vector ON search_docs USING gin (vector) WHERE public",
    "CREATE INDEX ix_search_docs_letter_vector ON search_docs USING gin (vector) WHERE kind = 'letter'",
    # Entries are few among a million answers: their own index, so all their matches can be ranked.
    "CREATE INDEX ix_search_docs_entry_vector ON search_docs USING gin (vector) WHERE public AND kind = 'entry'",
    """CREATE OR REPLACE FUNCTION knowledge_versions_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'knowledge_versions is append-only'; END $$""",
    """CREATE TRIGGER knowledge_versions_append_only BEFORE UPDATE OR DELETE ON knowledge_versions
       FOR EACH ROW EXECUTE FUNCTION knowledge_versions_append_only()""",
]
SQLITE = [
    """CREATE VIRTUAL TABLE search_docs_fts USING fts5(title_terms, body_terms,
         content='search_docs', content_rowid='id', tokenize='unicode61')""",
    """CREATE TRIGGER search_docs_fts_insert AFTER INSERT ON search_docs BEGIN
         INSERT INTO search_docs_fts(rowid, title_terms, body_terms)
         VALUES (new.id, new.title_terms, new.body_terms); END""",
    """CREATE TRIGGER search_docs_fts_delete AFTER DELETE ON search_docs BEGIN
         INSERT INTO search_docs_fts(search_docs_fts, rowid, title_terms, body_terms)
         VALUES ('delete', old.id, old.title_terms, old.body_terms); END""",
    """CREATE TRIGGER search_docs_fts_update AFTER UPDATE ON search_docs BEGIN
         INSERT INTO search_docs_fts(search_docs_fts, rowid, title_terms, body_terms)
         VALUES ('delete', old.id, old.title_terms, old.body_terms);
         INSERT INTO search_docs_fts(rowid, title_terms, body_terms)
         VALUES (new.id, new.title_terms, new.body_terms); END""",
    """CREATE TRIGGER knowledge_versions_no_update BEFORE UPDATE ON knowledge_versions
       BEGIN SELECT RAISE(ABORT, 'knowledge_versions is append-only'); END""",
    """CREATE TRIGGER knowledge_versions_no_delete BEFORE DELETE ON knowledge_versions
       BEGIN SELECT RAISE(ABORT, 'knowledge_versions is append-only'); END""",
]


def upgrade():
    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("basis_title", sa.String(length=300), nullable=True),
        sa.Column("basis_number", sa.String(length=100), nullable=True),
        sa.Column("basis_url", sa.String(length=500), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("source_case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("owner_unit_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_knowledge_entries_created_by_id_users")),
        sa.ForeignKeyConstraint(["owner_unit_id"], ["units.id"], name=op.f("fk_knowledge_entries_owner_unit_id_units")),
        sa.ForeignKeyConstraint(["source_case_id"], ["cases.id"], name=op.f("fk_knowledge_entries_source_case_id_cases")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_knowledge_entries_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_entries")),
    )
    with op.batch_alter_table("knowledge_entries", schema=None) as batch_op:
        batch_op.create_index("ix_knowledge_entries_state", ["state", "updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_entries_source_case_id"), ["source_case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_knowledge_entries_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "knowledge_versions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("basis_title", sa.String(length=300), nullable=True),
        sa.Column("basis_number", sa.String(length=100), nullable=True),
        sa.Column("basis_url", sa.String(length=500), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_knowledge_versions_actor_id_users")),
        sa.ForeignKeyConstraint(["entry_id"], ["knowledge_entries.id"], name=op.f("fk_knowledge_versions_entry_id_knowledge_entries")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_knowledge_versions_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_versions")),
        sa.UniqueConstraint("entry_id", "version", name=op.f("uq_knowledge_versions_entry_id")),
    )

    op.create_table(
        "knowledge_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_synonyms")),
    )

    op.create_table(
        "search_docs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("ref_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("body_terms", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=True),
        sa.Column("area", sa.String(length=50), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_docs")),
        sa.UniqueConstraint("kind", "ref_id", name=op.f("uq_search_docs_kind")),
    )
    with op.batch_alter_table("search_docs", schema=None) as batch_op:
        batch_op.create_index("ix_search_docs_letters_at", ["at"], unique=False,
                              postgresql_where=LETTERS, sqlite_where=LETTERS)

    for statement in PG if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS knowledge_versions_append_only ON knowledge_versions")
        op.execute("DROP FUNCTION IF EXISTS knowledge_versions_append_only()")
    else:
        op.execute("DROP TABLE IF EXISTS search_docs_fts")  # its triggers go with search_docs
    with op.batch_alter_table("search_docs", schema=None) as batch_op:
        batch_op.drop_index("ix_search_docs_letters_at")
    op.drop_table("search_docs")
    op.drop_table("knowledge_synonyms")
    op.drop_table("knowledge_versions")
    with op.batch_alter_table("knowledge_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_entries_unit_id"))
        batch_op.drop_index(batch_op.f("ix_knowledge_entries_source_case_id"))
        batch_op.drop_index("ix_knowledge_entries_state")
    op.drop_table("knowledge_entries")
