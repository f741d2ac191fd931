"""An Atom feed of outputs newly published to the public library."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Output, OutputQuerySet

FEED_LENGTH = 30


class LatestOutputsFeed(Feed):
    feed_type = Atom1Feed
    title = "Pairwise library: new outputs"
    subtitle = "Case studies, guides and reports newly published by cross-sector learning pairs."

    def link(self) -> str:
        return reverse("library:index")

    def items(self) -> OutputQuerySet:
        return Output.objects.public().with_credits().order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item: Output) -> str:
        return item.title

    def item_description(self, item: Output) -> str:
        return item.summary

    def item_link(self, item: Output) -> str:
        return reverse("library:detail", args=[item.pk])

    def item_pubdate(self, item: Output) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Output) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Output) -> str:
        return ", ".join(person.full_name for person in item.credited_people()) or "A Pairwise learning pair"

    def item_categories(self, item: Output) -> list[str]:
        return [item.get_kind_display()]
