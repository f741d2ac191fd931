"""Access to outputs beyond the URL gate (tests/test_url_gate.py): archived outputs, media URLs, methods."""

from __future__ import annotations

from django.urls import reverse

from outputs.models import Output


def test_archived_outputs_are_404_to_everyone_even_their_pair(login_as, outputs):
    Output.objects.filter(pk=outputs.public.pk).update(archived=True)
    for persona in ("alice", "facilitator"):
        client = login_as(persona)
        assert client.get(reverse("outputs:detail", args=[outputs.public.pk])).status_code == 404
        assert client.get(reverse("outputs:file", args=[outputs.public.pk])).status_code == 404
    assert login_as("anonymous").get(reverse("library:detail", args=[outputs.public.pk])).status_code == 404


def test_a_guessed_media_url_serves_nothing(login_as, outputs):
    response = login_as("alice").get("/media/" + outputs.private.file.name)
    assert response.status_code == 404
