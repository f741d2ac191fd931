"""Output files, served only to those who may read the output: never from a guessable media URL."""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse, Http404, HttpRequest
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from ..permissions import get_output_for_user
from ..validators import kind_for_name


@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The output's file as an attachment, named after the output; 404 for anyone who may not read it."""
    output = get_output_for_user(request.user, pk)
    name = output.file.name
    if not name:
        raise Http404("This output has no file")
    extension = PurePath(name).suffix.lower()
    kind = kind_for_name(name)
    try:
        handle = output.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    filename = f"{slugify(output.title)[:80] or 'output'}{extension}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
