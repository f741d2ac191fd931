"""The public library: published public outputs, for anyone, signed in or not."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import cached_property

from ..filters import Facet, LibraryFilter, library_facets
from ..library_cache import cached_listing
from ..markdown import render as render_markdown
from ..models import Output
from ..permissions import get_library_output

OUTPUTS_PER_PAGE = 20


def index(request: HttpRequest) -> HttpResponse:
    """Published outputs, newest first (best match first when searching), filtered and paginated: the listing
    is the same for everyone, so kept until the library changes; the page around it is each visitor's own."""
    listing = cached_listing(request.GET, lambda: _listing(request))
    return render(request, "outputs/library/index.html", {"listing": listing})


def _listing(request: HttpRequest) -> str:
    filterset = LibraryFilter(
        request.GET or None, queryset=Output.objects.public().order_by("-published_at", "-pk"), request=request
    )
    fields = filterset.form.fields
    found, facets = library_facets(
        filterset.qs,
        programmes=list(fields["programme"].queryset),  # read once: the drop-downs show these same rows
        cohorts=list(fields["cohort"].queryset),
        questions=list(fields["question"].queryset),
    )
    shown = filterset.qs.with_credits().defer("body", "search_extra", "review_comment")  # cards show none of them
    paginator = CountedPaginator(shown, OUTPUTS_PER_PAGE, count=found)
    page = paginator.get_page(request.GET.get("page"))
    searching = bool(filterset.form.is_bound and filterset.form.is_valid() and filterset.form.cleaned_data.get("q"))
    facets = _with_links(facets, request.GET)
    context = {"filter": filterset, "page": page, "searching": searching, "facets": facets}
    return render_to_string("outputs/library/_listing.html", context, request=request)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published output, with who made it."""
    output = get_library_output(pk)
    context = {
        "output": output,
        "body_html": render_markdown(output.body, below=1, scroll_tables=True),
        "credits": output.credited_people(),
    }
    return render(request, "outputs/library/detail.html", context)


class CountedPaginator(Paginator):
    """A paginator told how many there are (the facets' grouped query has counted them): no COUNT of its own."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _with_links(facets: list[Facet], params: QueryDict) -> list[Facet]:
    """Each facet value with the query string that chooses it (keeping the search and other filters)."""
    linked = []
    for facet in facets:
        values = []
        for option in facet.values:
            query = params.copy()
            query.pop("page", None)
            query[facet.name] = option.value
            values.append(replace(option, query=query.urlencode(), current=params.get(facet.name) == option.value))
        linked.append(replace(facet, values=values))
    return linked
