"""Helpers shared by every CSV/XLSX export: cells a spreadsheet would run as a formula are neutralised.

`safe_cell` is the one place this is decided. The report and survey exports call it per cell; the admin's
django-import-export exports go through `SafeCSV` and `SafeXLSX` (settings.EXPORT_FORMATS), which pass
every text cell through it. A new export or streaming writer must do the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import tablib
from import_export.formats import base_formats

# A cell starting with one of these is read by Excel, LibreOffice or Sheets as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would otherwise run it as a formula.

    The whole text is kept after the apostrophe, so `==HYPERLINK(...)` stays readable and inert."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_row(values: Sequence[object]) -> list[str]:
    """A row of cells, each through safe_cell."""
    return [safe_cell(value) for value in values]


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset with every text cell through safe_cell; numbers and dates stay typed."""
    safe = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = safe_row(list(dataset.headers))
    for row in dataset:
        safe.append([safe_cell(cell) if isinstance(cell, str) else cell for cell in row])
    return safe


class SafeCSV(base_formats.CSV):
    """CSV export for the admin, with formulas neutralised by safe_cell."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> str:
        return super().export_data(safe_dataset(dataset), **kwargs)


class SafeXLSX(base_formats.XLSX):
    """XLSX export for the admin, with formulas neutralised by safe_cell."""

    def export_data(self, dataset: tablib.Dataset, **kwargs: object) -> bytes:
        return super().export_data(safe_dataset(dataset), **kwargs)
