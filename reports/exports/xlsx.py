"""The year-end report's data as an XLSX workbook, one sheet per table. Every text cell passes through
programme.exports.safe_cell, so text a member typed cannot run as a formula."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font

from programme.exports import safe_cell

from ..data import ReportData
from .tables import report_tables


def report_xlsx(data: ReportData) -> bytes:
    """Every table as a sheet of one workbook; formulas neutralised."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in report_tables(data):
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append([_bold_cell(sheet, safe_cell(value), bold) for value in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    """Numbers and dates stay numbers and dates (they cannot be formulas); text goes through safe_cell."""
    if isinstance(value, int | Decimal | float | date) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def _bold_cell(sheet: Any, value: Any, font: Font) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell
