"""a version counter for reference data (units, deadline rules, the 派单目录 and its
versions, improper phrases), raised by triggers on their tables, so each process keeps
them as plain values while the counter holds (casework/reference.py) instead of reading
them in every state change (measured: 5 of an assignment's 15 statements)

Revision ID: a19d7e3c2b10
Revises: a16e0d1c5a7b
"""
from alembic import op

revision = "a19d7e3c2b10"
down_revision = "a16e0d1c5a7b"
branch_labels = None
depends_on = None

TABLES = ("units", "deadline_rules", "catalogue_entries", "catalogue_versions", "improper_phrases")


def _pg(table: str) -> list[str]:
    return [
        """CREATE OR REPLACE FUNCTION bump_reference_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO data_versions (name, version) VALUES ('reference', 1)
              ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1;
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version()""",
    ]


def _sqlite(table: str) -> list[str]:
    return [f"""CREATE TRIGGER {table}_version_{op_name.lower()} AFTER {op_name} ON {table}
                BEGIN
                  INSERT INTO data_versions (name, version) VALUES ('reference', 1)
                  ON CONFLICT (name) DO UPDATE SET version = version + 1;
                END""" for op_name in ("INSERT", "UPDATE", "DELETE")]


def upgrade():
    op.execute("INSERT INTO data_versions (name, version) VALUES ('reference', 1)")
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for statement in (_pg(table) if dialect == "postgresql" else _sqlite(table)):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
        else:
            for op_name in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_version_{op_name}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS bump_reference_version()")
    op.execute("DELETE FROM data_versions WHERE name = 'reference'")
