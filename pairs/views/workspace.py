"""A pair's workspace: its members and its programme's refining steps, changed in place by the pair's members."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from programme.compiled import CompiledModelQuery
from programme.forms import add_service_error
from programme.models import User
from programme.typing import AuthenticatedHttpRequest

from ..comments import can_comment, step_comment_add, step_mark_another_look
from ..commitment import Commitment, commitment_of
from ..earlier_work import earlier_seats, has_earlier_seats
from ..forms import StepProgressForm
from ..models import LearningPair, LearningPairQuerySet, PairMember, StepComment, StepProgress
from ..permissions import (
    can_edit_pair,
    get_pair_for_staff,
    get_pair_for_user,
    pair_seen_by_non_manager,
    visible_pairs,
)
from ..progress import read_progress
from ..services import StaleEditError, step_update


@dataclass
class StepRow:
    """One step as the workspace shows it: the record, its form, and another member's newer version if any."""

    progress: StepProgress
    form: StepProgressForm | None = None
    theirs: StepProgress | None = None
    message: str = ""
    comment_text: str = ""
    comment_error: str = ""


@dataclass
class MemberRow:
    member: PairMember
    commitment: Commitment | None


# A pair's current seats, each with its person and commitment figures, compiled once per process
# (programme.compiled).
_SEATS = CompiledModelQuery(
    lambda pair_id: (
        PairMember.objects.filter(pair_id=pair_id)
        .current()
        .with_people()
        .select_related("membership__cohort")
        .order_by("membership__side", "joined_on")
    )
)


# The pair a member (or a facilitator) opens, and whether they sat in another of its cohort's pairs before: compiled
# once per process (programme.compiled), as it runs on every visit to a pair's page.
_WORKSPACE_PAIR = CompiledModelQuery(
    lambda user_id, pk: (
        pair_seen_by_non_manager(user_id, pk)
        .annotate(user_has_earlier_seats=has_earlier_seats(User(pk=user_id)))
        .select_related("cohort__programme", "question")
    )
)


def _workspace_pair(pair: LearningPair | LearningPairQuerySet) -> LearningPair:
    """The pair with its members (each with their commitment figures), steps and comments; from a queryset already
    scoped to the user (one query fewer), or a pair already read with its cohort and question."""
    if isinstance(pair, LearningPairQuerySet):
        found = pair.select_related("cohort__programme", "question").get()
    elif "cohort" in pair._state.fields_cache:
        found = pair
    else:
        found = LearningPair.objects.select_related("cohort__programme", "question").get(pk=pair.pk)
    prefetch_related_objects(read_progress(found), Prefetch("comments", queryset=StepComment.objects.in_order()))
    seats = _SEATS.instances(found.pk)
    for seat in seats:
        seat.pair = found
    found.current_members = seats  # type: ignore[attr-defined]  # as with_current_members names them
    return found


def _member_rows(pair: LearningPair) -> list[MemberRow]:
    """Each current member with their commitment days, read with the members (_workspace_pair)."""
    return [MemberRow(seat, commitment_of(seat.membership)) for seat in pair.current_member_list()]


def _render_workspace(
    request: HttpRequest,
    pair: LearningPair,
    replace: StepRow | None = None,
    *,
    can_edit: bool,
    can_comment: bool = False,
    status: int = 200,
) -> HttpResponse:
    rows = []
    for progress in sorted(pair.steps.all(), key=lambda p: p.step):
        if replace is not None and progress.step == replace.progress.step:
            replace.progress = progress
            if can_edit and replace.form is None:
                replace.form = StepProgressForm.for_progress(progress)
            rows.append(replace)
        else:
            rows.append(StepRow(progress, StepProgressForm.for_progress(progress) if can_edit else None))
    context = {
        "pair": pair,
        "rows": rows,
        "member_rows": _member_rows(pair),
        "can_edit": can_edit,
        "can_comment": can_comment,
        # Only a current member reads their own earlier pairs' steps here; never their new partner's.
        "earlier_seats": earlier_seats(request.user, pair) if can_edit and isinstance(request.user, User) else [],
    }
    return render(request, "pairs/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A pair's page: members, question and the refining steps; editable by the pair's members only."""
    user = request.user
    if user.is_programme_manager:
        try:
            pair = _workspace_pair(
                visible_pairs(user).filter(pk=pk).annotate(user_has_earlier_seats=has_earlier_seats(user))
            )
        except LearningPair.DoesNotExist:
            raise Http404("No such pair") from None
    else:
        found = _WORKSPACE_PAIR.instances(user.pk, pk)
        if not found:
            raise Http404("No such pair")
        pair = _workspace_pair(found[0])
    return _render_workspace(
        request, pair, can_edit=can_edit_pair(request.user, pair), can_comment=can_comment(request.user, pair)
    )


@login_required
@require_POST
def step_edit(request: AuthenticatedHttpRequest, pk: int, step: int) -> HttpResponse:
    """Change one step's status and summary. htmx gets the step back in place; without JS, a redirect."""
    pair = get_pair_for_user(request.user, pk)
    if not can_edit_pair(request.user, pair):
        raise PermissionDenied("Only the pair's members can change its steps.")
    progress = get_object_or_404(pair.steps.with_due_dates().select_related("completed_by"), step=step)
    form = StepProgressForm.for_progress(progress, request.POST)
    row = StepRow(progress, form)
    if form.is_valid():
        try:
            saved = step_update(
                progress=progress,
                status=form.cleaned_data["status"],
                summary=form.cleaned_data["summary"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as error:
            theirs = pair.steps.with_due_dates().select_related("completed_by").get(pk=progress.pk)
            # Keep what this user typed, but against the version they have now seen, so saving again merges.
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(theirs.version)
            form = StepProgressForm.for_progress(theirs, data)
            form.is_valid()
            form.add_error(None, error)
            row = StepRow(theirs, form, theirs=theirs)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            saved = pair.steps.with_due_dates().select_related("completed_by").get(pk=saved.pk)
            message = f"Step {saved.step} ({saved.get_step_display()}) saved: {saved.get_status_display().lower()}."
            if request.htmx:
                row = StepRow(saved, StepProgressForm.for_progress(saved), message=message)
                return render(
                    request, "pairs/detail.html#step", {"pair": pair, "row": row, "can_edit": True, "can_comment": True}
                )
            messages.success(request, message)
            return redirect(f"{pair.get_absolute_url()}#step-{saved.step}")
    if request.htmx:
        return render(
            request, "pairs/detail.html#step", {"pair": pair, "row": row, "can_edit": True, "can_comment": True}
        )
    messages.error(request, f"Step {progress.step} ({progress.get_step_display()}) was not saved: see the form below.")
    return _render_workspace(request, _workspace_pair(pair), replace=row, can_edit=True, can_comment=True)


@login_required
@require_POST
def step_comment(request: AuthenticatedHttpRequest, pk: int, step: int) -> HttpResponse:
    """Post a comment on a step. Another pair is a 404; an empty or oversized comment is shown back, kept."""
    pair = get_pair_for_user(request.user, pk)
    if not can_comment(request.user, pair):
        raise PermissionDenied("Only the pair's members and the cohort's staff can comment on its steps.")
    progress = get_object_or_404(pair.steps.all(), step=step)
    text = request.POST.get("body", "")
    try:
        step_comment_add(progress=progress, author=request.user, body=text)
    except ValidationError as error:
        row = StepRow(progress, comment_text=text, comment_error=" ".join(error.messages))
        editable = can_edit_pair(request.user, pair)
        return _render_workspace(
            request, _workspace_pair(pair), replace=row, can_edit=editable, can_comment=True, status=400
        )
    messages.success(request, f"Your comment on step {progress.step} ({progress.get_step_display()}) is posted.")
    return redirect(f"{pair.get_absolute_url()}#step-{progress.step}")


@login_required
@require_POST
def step_another_look(request: AuthenticatedHttpRequest, pk: int, step: int) -> HttpResponse:
    """Cohort staff mark a step "needs another look", or clear the mark; anyone else gets 404."""
    pair = get_pair_for_staff(request.user, pk)
    progress = get_object_or_404(pair.steps.all(), step=step)
    needed = request.POST.get("needed") == "1"
    step_mark_another_look(progress=progress, by=request.user, needed=needed)
    label = f"Step {progress.step} ({progress.get_step_display()})"
    messages.success(request, f"{label} marked as needing another look." if needed else f"{label}: mark cleared.")
    return redirect(f"{pair.get_absolute_url()}#step-{progress.step}")
