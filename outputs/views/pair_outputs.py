"""A pair's outputs: listing, writing, submitting for review and archiving them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.permissions import member_cohorts, staff_cohorts
from pairs.models import LearningPair
from pairs.permissions import can_edit_pair, get_pair_for_user, is_pair_member
from programme.forms import add_service_error
from programme.models import User
from programme.typing import AuthenticatedHttpRequest

from .. import services
from ..forms import OutputForm, SendBackForm
from ..markdown import render as render_markdown
from ..models import Output, OutputRevision
from ..permissions import can_edit_output, can_review_output, get_output_for_user, visible_outputs

SHARED_PER_PAGE = 25


def _get_output_to_edit(user: User, pk: int) -> Output:
    """The output if the user may change it: 404 when they may not see it, 403 when they only read it."""
    output = get_output_for_user(user, pk)
    if not can_edit_output(user, output):
        raise PermissionDenied("Only the pair's members change its outputs.")
    return output


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where "Outputs" leads: the user's pair's outputs, their cohort's shared ones, and cohorts they run."""
    user = request.user
    own_pairs = list(LearningPair.objects.for_user(user).select_related("cohort__programme"))
    own_outputs = (
        Output.objects.current().filter(pair__in=own_pairs).select_related("question").order_by("due_on", "pk")
    )
    by_pair: dict[int, list[Output]] = {pair.pk: [] for pair in own_pairs}
    for output in own_outputs:
        by_pair[output.pair_id].append(output)
    shared = (
        visible_outputs(user)
        .filter(pair__cohort__in=member_cohorts(user).values("pk"))
        .exclude(pair__in=own_pairs)
        .exclude(status=Output.Status.PLANNED)
        .select_related("pair__cohort", "question")
        .order_by("-updated_at", "-pk")
    )
    shared_page = Paginator(shared, SHARED_PER_PAGE).get_page(request.GET.get("page"))
    # The page's rows read directly: the paginator skips the read when there are none, and the page
    # should cost the same queries however many outputs the cohort shares.
    start = shared_page.start_index() - 1 if shared_page.paginator.count else 0
    context = {
        "pairs": [(pair, by_pair[pair.pk]) for pair in own_pairs],
        "shared": list(shared[start : start + SHARED_PER_PAGE]),
        "shared_page": shared_page,
        "staff_cohorts": staff_cohorts(user).select_related("programme").order_by("-starts_on"),
    }
    return render(request, "outputs/index.html", context)


@login_required
def pair_list(request: AuthenticatedHttpRequest, pair_pk: int) -> HttpResponse:
    """Every output of one pair, with status and due date."""
    pair = get_pair_for_user(request.user, pair_pk)
    outputs = Output.objects.current().filter(pair=pair).select_related("question").order_by("due_on", "pk")
    context = {"pair": pair, "outputs": outputs, "can_edit": can_edit_pair(request.user, pair)}
    return render(request, "outputs/pair_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedHttpRequest, pair_pk: int) -> HttpResponse:
    """Plan or start writing a new output of the pair."""
    pair = get_pair_for_user(request.user, pair_pk)
    if not can_edit_pair(request.user, pair):
        raise PermissionDenied("Only the pair's members add outputs.")
    form = OutputForm(request.POST or None, request.FILES or None, pair=pair)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        kwargs.pop("clear_file", None)
        try:
            output = services.output_create(pair=pair, **kwargs)
        except ValidationError as error:
            add_service_error(form, error)
            if request.FILES:
                form.add_file_hint()
        else:
            messages.success(request, f"Saved “{output.title}”.")
            return redirect("outputs:detail", pk=output.pk)
    return render(request, "outputs/form.html", {"pair": pair, "form": form, "output": None})


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An output as its pair, its cohort and its staff see it, with the actions each may take."""
    output = get_output_for_user(request.user, pk)
    can_review = can_review_output(request.user, output)
    can_edit = can_edit_output(request.user, output)
    # A published output's pending changes are for its authors and reviewers only.
    shows_revision = can_edit or can_review or is_pair_member(request.user, output.pair)
    revision = services.open_revision(output) if shows_revision else None
    in_review = output.status == Output.Status.IN_REVIEW or (
        revision is not None and revision.status == OutputRevision.Status.IN_REVIEW
    )
    context = {
        "output": output,
        "pair": output.pair,
        "body_html": render_markdown(output.body, below=1, scroll_tables=True),
        "credits": output.credited_people(),
        "can_edit": can_edit,
        "can_review": can_review,
        "revision": revision,
        "revision_body_html": render_markdown(revision.body) if revision else "",
        "in_review": in_review,
        "send_back_form": SendBackForm() if can_review and in_review else None,
    }
    return render(request, "outputs/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change an output's text, file or link."""
    output = _get_output_to_edit(request.user, pk)
    editing = services.output_for_editing(output)
    form = OutputForm(request.POST or None, request.FILES or None, instance=editing, pair=output.pair)
    if request.method == "POST" and form.is_valid():
        try:
            output = services.output_update(output=output, **form.service_kwargs())
        except ValidationError as error:
            add_service_error(form, error)
            if request.FILES:
                form.add_file_hint()
        else:
            if output.status == Output.Status.PUBLISHED:
                messages.success(request, services.REVISION_SAVED)
            else:
                messages.success(request, f"Saved your changes to “{output.title}”.")
            return redirect("outputs:detail", pk=output.pk)
    return render(request, "outputs/form.html", {"pair": output.pair, "form": form, "output": output})


@login_required
@require_POST
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask the cohort's facilitators to review the output."""
    output = _get_output_to_edit(request.user, pk)
    try:
        services.output_submit_for_review(output=output)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Submitted for review: your facilitators will publish it or send it back.")
    return redirect("outputs:detail", pk=output.pk)


@login_required
@require_http_methods(["GET", "POST"])
def archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then archive the output: hidden from everyone, kept with its history."""
    output = _get_output_to_edit(request.user, pk)
    if request.method == "POST":
        services.output_archive(output=output)
        messages.success(request, f"Archived “{output.title}”. Ask your programme manager if you need it back.")
        return redirect("outputs:pair-list", pair_pk=output.pair_id)
    return render(request, "outputs/confirm_archive.html", {"output": output, "pair": output.pair})
