"""a version counter for the working-day calendar, raised by triggers on its tables, so
every process (web, worker, cron, CLI) sees a calendar change at its next request, with or
without Redis, and also after an edit by SQL by hand

Revision ID: c21cf7b16fc4
Revises: eb137bdc1969
"""
import sqlalchemy as sa
from alembic import op

revision = "c21cf7b16fc4"
down_revision = "eb137bdc1969"
branch_labels = None
depends_on = None

TABLES = ("calendar_days", "calendar_years")


def _pg(table: str) -> list[str]:
    return [
        """CREATE OR REPLACE FUNCTION bump_calendar_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO data_versions (name, version) VALUES ('calendar', 1)
              ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1;
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version()""",
    ]


def _sqlite(table: str) -> list[str]:
    return [f"""CREATE TRIGGER {table}_version_{op_name.lower()} AFTER {op_name} ON {table}
                BEGIN
                  INSERT INTO data_versions (name, version) VALUES ('calendar', 1)
                  ON CONFLICT (name) DO UPDATE SET version = version + 1;
                END""" for op_name in ("INSERT", "UPDATE", "DELETE")]


def upgrade():
    op.create_table(
        "data_versions",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_data_versions"),
    )
    op.execute("INSERT INTO data_versions (name, version) VALUES ('calendar', 1)")
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
        op.execute("DROP FUNCTION IF EXISTS bump_calendar_version()")
    op.drop_table("data_versions")
