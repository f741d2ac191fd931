"""The record of erasures: that a person was erased, when and by whom, without saying who they were."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Erasure(models.Model):
    """A person erased by a manager. It names them only by the anonymous label their shared records keep."""

    label = models.CharField(max_length=100, help_text="The anonymous label the person's shared records now show.")
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)
    rows_deleted = models.PositiveIntegerField(default=0)
    rows_anonymised = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label}, erased {self.erased_at:%-d %B %Y}"
