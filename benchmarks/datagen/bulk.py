"""Bulk-load mode: drop secondary indexes and constraints of the big tables, COPY, then
rebuild them (two at a time, one per core). Rebuilding once is far cheaper than
maintaining indexes and checking foreign keys row by row."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg

TABLES = ("cases", "case_publications", "case_events", "replies", "reviews", "search_docs")


def strip(conn) -> list[str]:
    """Drop non-primary-key indexes, unique and foreign-key constraints of TABLES;
    return the statements that put them back (constraints last)."""
    with conn.cursor() as cur:
        cur.execute("""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('u', 'f')""",
                    (list(TABLES),))
        constraints = cur.fetchall()
        cur.execute("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.indexname NOT IN (
                SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""", (list(TABLES),))
        indexes = cur.fetchall()
        for table, name, _, _ in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    conn.commit()
    restore_indexes = [definition for _, definition in indexes]
    restore_unique = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, k in constraints if k == "u"]
    restore_fk = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, k in constraints if k == "f"]
    return [restore_indexes + restore_unique, restore_fk]


def rebuild(url: str, phases: list[list[str]], workers: int = 2) -> None:
    def run(statement: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '256MB'")
            conn.execute(statement)

    with ThreadPoolExecutor(workers) as pool:
        for phase in phases:  # foreign keys need the unique indexes of the first phase
            list(pool.map(run, phase))
