"""a version counter for accounts (users and API tokens), raised by triggers on both
tables, so the API's in-process token cache honours a revocation, a deactivation or any
other change to an account at the next request, in every process, also after an edit by
SQL by hand

Revision ID: a18c0ffee001
Revises: a17b2c3d4e5f
"""
from alembic import op

revision = "a18c0ffee001"
down_revision = "a17b2c3d4e5f"
branch_labels = None
depends_on = None

TABLES = ("users", "api_tokens")


def _pg(table: str) -> list[str]:
    return [
        """CREATE OR REPLACE FUNCTION bump_accounts_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO data_versions (name, version) VALUES ('accounts', 1)
              ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1;
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION bump_accounts_version()""",
    ]


def _sqlite(table: str) -> list[str]:
    return [f"""CREATE TRIGGER {table}_version_{op_name.lower()} AFTER {op_name} ON {table}
                BEGIN
                  INSERT INTO data_versions (name, version) VALUES ('accounts', 1)
                  ON CONFLICT (name) DO UPDATE SET version = version + 1;
                END""" for op_name in ("INSERT", "UPDATE", "DELETE")]


def upgrade():
    op.execute("INSERT INTO data_versions (name, version) VALUES ('accounts', 1)")
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
        op.execute("DROP FUNCTION IF EXISTS bump_accounts_version()")
    op.execute("DELETE FROM data_versions WHERE name = 'accounts'")
