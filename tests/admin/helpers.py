"""What the admin tests share: the registered models, admin URLs and a change form's data as posted."""

from __future__ import annotations

import gc
import weakref
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from pairs.commitment import commitment_totals_refresh
from pairs.models import Activity

if TYPE_CHECKING:
    from tests.conftest import World

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
HISTORY_ADMINS = [model for model in REGISTERED if isinstance(admin.site._registry[model], SimpleHistoryAdmin)]
EXPORT_ADMINS = [model for model in REGISTERED if hasattr(admin.site._registry[model], "export_action")]
DOMAIN_APPS = {"programme", "notifications", "cohorts", "pairs", "outputs", "privacy"}


def model_label(model: type[Model]) -> str:
    return model._meta.label


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_form_data(response) -> dict[str, object]:
    """What the browser would post back for an admin change page, unchanged."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False or value == []:
                continue
            if isinstance(field.widget, MultiWidget):  # the admin's split date and time
                parts = value if isinstance(value, list) else field.widget.decompress(value) or []
                for index, (widget, part) in enumerate(zip(field.widget.widgets, parts, strict=True)):
                    data[f"{form.add_prefix(name)}_{index}"] = widget.format_value(part) or ""
                continue
            formatted = "on" if value is True else field.widget.format_value(value)
            data[form.add_prefix(name)] = "" if formatted is None else formatted
    return data


class MostInstancesAlive:
    """While a test runs, the most instances of one model alive at once: proves an export streams its rows.

    Patches the model's `from_db` (through pytest's monkeypatch, undone after the test) to keep a weak
    reference to every instance read, and collects garbage each time, so only instances still held count."""

    def __init__(self, monkeypatch: Any, model: type[Model]) -> None:
        self.most = 0
        alive: weakref.WeakSet[Model] = weakref.WeakSet()
        original_from_db = model.from_db.__func__  # type: ignore[attr-defined]

        def tracking_from_db(cls: type[Model], *args: Any, **kwargs: Any) -> Model:
            instance = original_from_db(cls, *args, **kwargs)
            alive.add(instance)
            gc.collect()
            self.most = max(self.most, len(alive))
            return instance

        monkeypatch.setattr(model, "from_db", classmethod(tracking_from_db))


def activity_rows(world: World, count: int, *, learning: str = "") -> None:
    """`count` meetings of the world's pair that Alice went on, written in bulk as a big table would be."""
    activities = Activity.objects.bulk_create(
        Activity(
            pair=world.pair,
            kind=Activity.Kind.MEETING,
            occurred_on=timezone.localdate(),
            hours=Decimal("1"),
            learning=learning,
        )
        for _ in range(count)
    )
    Activity.attendees.through.objects.bulk_create(
        Activity.attendees.through(activity_id=activity.pk, membership_id=world.alice_membership.pk)
        for activity in activities
    )
    commitment_totals_refresh([world.alice_membership.pk])  # bulk_create sends no signals
