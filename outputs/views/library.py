"""The public library: published public outputs, for anyone, signed in or not."""

from __future__ import annotations

from dataclasses import replace

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string

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
    page = Paginator(filterset.qs.with_credits(), OUTPUTS_PER_PAGE).get_page(request.GET.get("page"))
    searching = bool(filterset.form.is_bound and filterset.form.is_valid() and filterset.form.cleaned_data.get("q"))
    facets = _with_links(library_facets(filterset.qs), request.GET)
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
