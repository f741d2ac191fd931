"""What the admin tests share: the registered models, admin URLs and a change form's data as posted."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.forms import MultiWidget
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

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
