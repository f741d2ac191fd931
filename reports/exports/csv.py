"""One table of the year-end report's data as CSV. Every cell passes through programme.exports.safe_cell,
so text a member typed cannot run as a formula."""

from __future__ import annotations

import csv
import io

from programme.exports import safe_cell

from .tables import Table, plain


def table_csv(table: Table) -> str:
    """One table as CSV, with a byte-order mark so Excel reads it as UTF-8; formulas neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([safe_cell(plain(value)) for value in row])
    return buffer.getvalue()
