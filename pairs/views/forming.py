"""Forming and re-pairing, for the staff of a cohort: each change one service call, one transaction.

Every change is a POST; its GET is the confirmation page with the form. A refused change shows the
rule's message on the form and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst

from cohorts.models import Cohort, shape_for_cohort
from cohorts.permissions import get_cohort_for_staff
from programme.forms import add_service_error
from programme.typing import AuthenticatedHttpRequest

from ..forming_forms import MemberAddForm, MemberLeaveForm, MemberMoveForm, PairCreateForm, WithdrawForm
from ..permissions import get_membership_for_staff, get_pair_for_staff, get_pair_member_for_staff
from ..services import (
    member_move,
    member_move_to_new_pair,
    membership_withdraw,
    pair_create,
    pair_member_add,
    pair_member_leave,
)


def _overview(cohort_pk: int) -> str:
    return reverse("pairs:cohort-overview", args=[cohort_pk])


# The services name the model's date fields; the forms call each of them "on".
_DATE_FIELDS = {"joined_on": "on", "left_on": "on", "withdrawn_on": "on"}


def _apply(form: forms.Form, change: Callable[[], object]) -> bool:
    """Run the service; on a refused change put its message on the form (field or whole form) and say so."""
    try:
        change()
    except ValidationError as error:
        add_service_error(form, error, field_names=_DATE_FIELDS)
        return False
    return True


def _render(
    request: HttpRequest, template: str, form: forms.Form, status: int = 200, **context: object
) -> HttpResponse:
    cohort = context["overview_cohort"]
    assert isinstance(cohort, Cohort)
    shape = shape_for_cohort(cohort.pk)
    return render(request, f"pairs/facilitate/{template}", {"form": form, "shape": shape, **context}, status=status)


@login_required
def pair_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Form a pair from unpaired current members, with its question and angle."""
    cohort = get_cohort_for_staff(request.user, pk)
    form = PairCreateForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in ("members", "on", "question", "angle")}
        if _apply(form, lambda: pair_create(cohort=cohort, **fields)):
            word = capfirst(cohort.shape.group_word)
            messages.success(request, f"{word} formed: {', '.join(m.user.full_name for m in data['members'])}.")
            return redirect(_overview(cohort.pk))
    return _render(
        request, "pair_form.html", form, status=400 if form.errors else 200, cohort=cohort, overview_cohort=cohort
    )


@login_required
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add an unpaired member to a pair (a trio when a partner has left)."""
    pair = get_pair_for_staff(request.user, pk)
    form = MemberAddForm(request.POST or None, pair=pair)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(form, lambda: pair_member_add(pair=pair, membership=data["membership"], on=data["on"])):
            word = shape_for_cohort(pair.cohort_id).group_word
            messages.success(request, f"{data['membership'].user.full_name} joined {word} {pair.number}.")
            return redirect(_overview(pair.cohort_id))
    return _render(
        request, "member_add.html", form, status=400 if form.errors else 200, pair=pair, overview_cohort=pair.cohort
    )


@login_required
def member_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take a member out of their pair with a date and reason; their time in it stays in the history."""
    member = get_pair_member_for_staff(request.user, pk)
    form = MemberLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(form, lambda: pair_member_leave(member=member, on=data["on"], reason=data["reason"])):
            word = shape_for_cohort(member.pair.cohort_id).group_word
            messages.success(request, f"{member.membership.user.full_name} left {word} {member.pair.number}.")
            return redirect(_overview(member.pair.cohort_id))
    return _render(
        request,
        "member_remove.html",
        form,
        status=400 if form.errors else 200,
        member=member,
        overview_cohort=member.pair.cohort,
    )


@login_required
def member_move_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a member into another pair of the cohort, or into a new pair of their own."""
    member = get_pair_member_for_staff(request.user, pk)
    form = MemberMoveForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data, to_pair = form.cleaned_data, form.destination()
        if to_pair is None:
            ok = _apply(form, lambda: member_move_to_new_pair(member=member, on=data["on"], reason=data["reason"]))
        else:
            ok = _apply(form, lambda: member_move(member=member, to_pair=to_pair, on=data["on"], reason=data["reason"]))
        if ok:
            word = shape_for_cohort(member.pair.cohort_id).group_word
            where = f"{word} {to_pair.number}" if to_pair else f"a new {word}"
            messages.success(request, f"{member.membership.user.full_name} moved to {where}.")
            return redirect(_overview(member.pair.cohort_id))
    return _render(
        request,
        "member_move.html",
        form,
        status=400 if form.errors else 200,
        member=member,
        overview_cohort=member.pair.cohort,
    )


@login_required
def membership_withdraw_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record that a member withdrew from the programme, with date and reason; they leave their pair."""
    membership = get_membership_for_staff(request.user, pk)
    if not membership.is_current:
        messages.info(request, f"{membership.user.full_name} is not a current member.")
        return redirect(_overview(membership.cohort_id))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _apply(form, lambda: membership_withdraw(membership=membership, on=data["on"], reason=data["reason"])):
            messages.success(request, f"{membership.user.full_name} withdrew from the programme.")
            return redirect(_overview(membership.cohort_id))
        membership.refresh_from_db()  # the refused service had set its fields in memory
    return _render(
        request,
        "withdraw.html",
        form,
        status=400 if form.errors else 200,
        membership=membership,
        overview_cohort=membership.cohort,
    )
