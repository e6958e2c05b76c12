"""COPY numpy columns into PostgreSQL through psycopg 3."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

TIME_COLUMNS = {"received_at", "assigned_at", "acknowledged_at", "clock_start", "due_at",
                "replied_at", "reviewed_at", "closed_at", "remind_at", "reminded_at", "escalate_at",
                "escalated_at", "overdue_at", "at", "submitted_at", "created_at", "updated_at", "published_at"}
NULLABLE_INTS = {"unit_id", "clock_days", "handling_days"}


def timestamps(values: np.ndarray) -> np.ndarray:
    text = np.char.add(np.datetime_as_string(values.astype("datetime64[s]"), unit="s"), "+00")
    return np.where(values > 0, text, "")


def frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    data = {}
    for name, values in columns.items():
        if name in TIME_COLUMNS:
            data[name] = timestamps(values)
        elif name in NULLABLE_INTS:
            data[name] = pd.array(np.where(values >= 0, values, 0), dtype="Int64")
            data[name][values < 0] = pd.NA
        else:
            data[name] = values
    return pd.DataFrame(data)


def copy(conn, table: str, df: pd.DataFrame) -> int:
    buffer = io.StringIO()
    df.to_csv(buffer, index=False, header=False)
    columns = ", ".join(df.columns)
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as cp:
        cp.write(buffer.getvalue())
    return len(df)
