"""Rules about outputs, each once."""

from __future__ import annotations

from .models import Output, OutputRevision


def is_in_review(output: Output) -> bool:
    """An output, or the revision of a published one, that is with the facilitators: read-only for its authors."""
    if output.status == Output.Status.IN_REVIEW:
        return True
    if output.status == Output.Status.PUBLISHED:
        return output.revisions.filter(status=OutputRevision.Status.IN_REVIEW).exists()
    return False
