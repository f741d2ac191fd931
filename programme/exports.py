"""Helpers shared by every CSV/XLSX export: cells a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

from collections.abc import Sequence

# A cell starting with one of these is read by Excel, LibreOffice or Sheets as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would otherwise run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(values: Sequence[object]) -> list[str]:
    """A row of cells, each through safe_cell."""
    return [safe_cell(value) for value in values]
