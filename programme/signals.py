"""Keeping each programme's shape whole: every new programme gets the default shape, and any change to a
shape drops this process's cached copy."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from . import shape
from .models import ActivityKind, EventKind, Programme, RefiningStep, Sector, Side


def give_new_programme_the_default_shape(sender: type, instance: Programme, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        from .services import shape_create_default

        shape_create_default(programme=instance)
    shape.reload(instance.pk)


def forget_programme_shape(sender: type, instance: Programme, **_: Any) -> None:
    shape.forget(instance.pk)


def reload_shape_of_item(sender: type, instance: Side, **_: Any) -> None:
    shape.reload(instance.programme_id)


def forget_shape_of_item(sender: type, instance: Side, **_: Any) -> None:
    shape.forget(instance.programme_id)


def connect() -> None:
    # Saving reloads at once rather than on the next read, so this process's pages never pay for a reload.
    post_save.connect(give_new_programme_the_default_shape, sender=Programme, dispatch_uid="programme_default_shape")
    post_delete.connect(forget_programme_shape, sender=Programme, dispatch_uid="programme_shape_forget_delete")
    for model in (Side, Sector, RefiningStep, EventKind, ActivityKind):
        post_save.connect(reload_shape_of_item, sender=model, dispatch_uid=f"{model.__name__}_shape_reload")
        post_delete.connect(forget_shape_of_item, sender=model, dispatch_uid=f"{model.__name__}_shape_forget_delete")
