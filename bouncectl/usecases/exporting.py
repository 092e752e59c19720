"""Bulk export of an email's recipients, or of every contact with bounce data, with pandas.

Rows are read and written in chunks, so an export of millions of rows runs in
bounded memory. CSV cells that a spreadsheet would run as a formula are
neutralized.
"""

from __future__ import annotations

from typing import TextIO

from bouncectl.output import FORMULA_STARTS
from bouncectl.store import EXPORT_CONTACT_COLUMNS, EXPORT_EMAIL_COLUMNS, Store

CHUNK_ROWS = 50_000
def export(store: Store, out: TextIO, kind: str, email_id: str | None = None) -> int:
    """Write the export as ``kind`` (``csv`` or ``json``) to ``out``; returns the row count."""
    import pandas as pd  # imported here: it is large, and only exports need it

    if email_id is not None:
        sql, params = store.export_email_sql(email_id)
        columns = EXPORT_EMAIL_COLUMNS
    else:
        sql, params = store.export_contacts_sql()
        columns = EXPORT_CONTACT_COLUMNS
    rows = 0
    first = True
    if kind == "json":
        out.write("[")
    integer_columns = {name: "Int64" for name in ("smtp_code", "bounces") if name in columns}
    for chunk in pd.read_sql_query(sql, store.conn, params=params, chunksize=CHUNK_ROWS, dtype=integer_columns):
        chunk = chunk[columns]
        if kind == "csv":
            text_columns = chunk.select_dtypes(include=["object", "string"]).columns
            for name in text_columns:
                column = chunk[name]
                chunk[name] = column.mask(column.str.startswith(FORMULA_STARTS, na=False), "'" + column)
            chunk.to_csv(out, index=False, header=first, lineterminator="\n")
        else:
            if len(chunk):
                body = chunk.to_json(orient="records", force_ascii=False)
                out.write(("" if first else ",") + body[1:-1])
        rows += len(chunk)
        first = False
    if kind == "csv" and first:
        pd.DataFrame(columns=columns).to_csv(out, index=False, lineterminator="\n")
    if kind == "json":
        out.write("]\n")
    return rows
