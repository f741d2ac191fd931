"""The demo's library is searchable by who made an output, where they work, and part of a name."""

from __future__ import annotations

from django.urls import reverse

from demo.loading import demo_load


def test_the_demo_library_finds_outputs_by_department_author_and_part_of_a_name(client, db):
    demo_load()
    url = reverse("library:index")

    def titles(typed: str) -> set[str]:
        return {output.title for output in client.get(url, {"q": typed}).context["page"]}

    # The Blackpool strategy and the 'Mind your language' blog are one member's own work, not pair outputs.
    assert "Top tips on language use" in titles("Home Office")
    assert titles("Oduya") == {"Comparing two approaches to consultation"}
    assert titles("Pember") == {"Top tips on language use"}
