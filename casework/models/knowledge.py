"""The knowledge base (知识库): entries with their version history, the office's synonym
list, and the search documents that entries, published answers and letters are indexed as."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import utcnow

from ..extensions import db
from .audit_guard import pg_statements, sqlite_statements
from .types import BigId, UTCDateTime
from .unit import Unit

ENTRY_STATES = {"draft": "草稿", "in_review": "待审核", "published": "已发布", "expired": "已过期",
                "withdrawn": "已撤回"}


class KnowledgeEntry(db.Model):
    """A question and its reference answer (答复口径). The office reviews every entry
    before publication; past `valid_until` it is no longer suggested."""

    __tablename__ = "knowledge_entries"
    __table_args__ = (sa.Index("ix_knowledge_entries_state", "state", "updated_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    question: Mapped[str] = mapped_column(sa.String(300))
    answer: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[str | None] = mapped_column(sa.String(32))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    basis_title: Mapped[str | None] = mapped_column(sa.String(300))
    basis_number: Mapped[str | None] = mapped_column(sa.String(100))
    basis_url: Mapped[str | None] = mapped_column(sa.String(500))
    valid_from: Mapped[date | None] = mapped_column(sa.Date)
    valid_until: Mapped[date | None] = mapped_column(sa.Date)
    state: Mapped[str] = mapped_column(sa.String(16), default="draft")
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
    # The published answer it was made from, if any.
    source_case_id: Mapped[int | None] = mapped_column(BigId, sa.ForeignKey("cases.id"), index=True)
    # The unit that proposed it (None: the office); it may edit the entry until publication.
    owner_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    owner_unit: Mapped[Unit | None] = relationship(foreign_keys=[owner_unit_id])
    versions: Mapped[list[KnowledgeVersion]] = relationship(
        back_populates="entry", order_by="KnowledgeVersion.version.desc()", lazy="select")

    @property
    def state_label(self) -> str:
        return ENTRY_STATES[self.state]


class KnowledgeVersion(db.Model):
    """An entry as it stood after each change, with who changed it and why. Append-only."""

    __tablename__ = "knowledge_versions"
    __table_args__ = (sa.UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("knowledge_entries.id"))
    version: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(16))
    question: Mapped[str] = mapped_column(sa.String(300))
    answer: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[str | None] = mapped_column(sa.String(32))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    basis_title: Mapped[str | None] = mapped_column(sa.String(300))
    basis_number: Mapped[str | None] = mapped_column(sa.String(100))
    basis_url: Mapped[str | None] = mapped_column(sa.String(500))
    valid_from: Mapped[date | None] = mapped_column(sa.Date)
    valid_until: Mapped[date | None] = mapped_column(sa.Date)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")
    entry: Mapped[KnowledgeEntry] = relationship(back_populates="versions")


class SynonymGroup(db.Model):
    """Words citizens use and the official ones, searched as one (户口 户籍 户口本)."""

    __tablename__ = "knowledge_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(sa.String(500))  # space-separated, official term first
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def words(self) -> list[str]:
        return self.terms.split()


LETTERS = sa.text("kind = 'letter'")
PUBLIC = sa.text("public")


class SearchDoc(db.Model):
    """What search reads: an entry, a published answer (its public, masked texts) or a
    letter (internal: the dispatcher's similar letters and the office's hot topics), as
    jieba-segmented terms. Derived data: `flask knowledge reindex` rebuilds it.

    The full-text structures differ by dialect and are declared in DIALECT_DDL below: a
    generated tsvector column with GIN indexes on PostgreSQL, an FTS5 table kept by
    triggers on SQLite."""

    __tablename__ = "search_docs"
    __table_args__ = (
        sa.UniqueConstraint("kind", "ref_id"),
        # Letters of a period (hot topics), newest first.
        sa.Index("ix_search_docs_letters_at", "at", postgresql_where=LETTERS, sqlite_where=LETTERS),
        # The newest public documents, for a query whose only word is common (search/engine.py).
        sa.Index("ix_search_docs_public_at", "at", "id", postgresql_where=PUBLIC, sqlite_where=PUBLIC),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8))  # entry | answer | letter
    ref_id: Mapped[int] = mapped_column(BigId)
    public: Mapped[bool] = mapped_column(default=False)
    title_terms: Mapped[str] = mapped_column(sa.Text, default="")
    body_terms: Mapped[str] = mapped_column(sa.Text, default="")
    topic: Mapped[str | None] = mapped_column(sa.String(32))
    area: Mapped[str | None] = mapped_column(sa.String(50))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_from: Mapped[date | None] = mapped_column(sa.Date)
    valid_until: Mapped[date | None] = mapped_column(sa.Date)


# Written out again (as text) in the migration that creates search_docs.
PG_DDL = [
    """ALTER TABLE search_docs ADD COLUMN vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple', title_terms), 'A') ||
         setweight(to_tsvector('simple', body_terms), 'B')) STORED""",
    "CREATE INDEX ix_search_docs_public_vector ON search_docs USING gin (vector) WHERE public",
    "CREATE INDEX ix_search_docs_letter_vector ON search_docs USING gin (vector) WHERE kind = 'letter'",
    # Entries are few among a million answers: their own index, so all their matches can be ranked.
    "CREATE INDEX ix_search_docs_entry_vector ON search_docs USING gin (vector) WHERE public AND kind = 'entry'",
]
SQLITE_DDL = [
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
]
# Schema objects the models do not describe because they exist on one dialect only.
DIALECT_OBJECTS = {
    "column": {"search_docs.vector"},
    "index": {"ix_search_docs_public_vector", "ix_search_docs_letter_vector", "ix_search_docs_entry_vector"},
    "table": ("search_docs_fts",),  # and FTS5's shadow tables search_docs_fts_*
}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison (env.py, the migration test): a dialect-only object found in
    the database is not missing from the models, and autogenerate must not drop it."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "table":
        return not name.startswith(DIALECT_OBJECTS["table"])
    if type_ == "index":
        return name not in DIALECT_OBJECTS["index"]
    if type_ == "column":
        return f"{obj.table.name}.{name}" not in DIALECT_OBJECTS["column"]
    return True


db.metadata.info["include_object"] = include_object

for _sql in PG_DDL:
    event.listen(SearchDoc.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql"))
for _sql in SQLITE_DDL:
    event.listen(SearchDoc.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))
event.listen(SearchDoc.__table__, "before_drop",
             sa.DDL("DROP TABLE IF EXISTS search_docs_fts").execute_if(dialect="sqlite"))

for _sql in pg_statements("knowledge_versions"):
    event.listen(KnowledgeVersion.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="postgresql"))
for _sql in sqlite_statements("knowledge_versions"):
    event.listen(KnowledgeVersion.__table__, "after_create", sa.DDL(_sql).execute_if(dialect="sqlite"))


@event.listens_for(KnowledgeVersion, "before_update")
@event.listens_for(KnowledgeVersion, "before_delete")
def _append_only(mapper, connection, target) -> None:
    raise PermissionError("knowledge versions are append-only")
