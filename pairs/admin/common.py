"""What the pairs admin pages share: the link to the pairing page and day figures."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.html import format_html

PAIRING_HAPPENS_ON_STAFF_PAGES = (
    "Pairs are formed, and members join, move and leave, on the cohort's pairing page, which checks the pairing rules."
)


def pairing_page_link(cohort_id: int) -> str:
    url = reverse("pairs:cohort-overview", args=[cohort_id])
    return format_html('{} <a href="{}">Open the pairing page</a>', PAIRING_HAPPENS_ON_STAFF_PAGES, url)


def days_label(value: Decimal) -> str:
    return f"{value:.1f}"
