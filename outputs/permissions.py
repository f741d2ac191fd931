"""Who may see and change an output. Every output view goes through get_output_for_user."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404

from cohorts.permissions import is_cohort_staff, member_cohorts, staff_cohorts
from pairs.models import LearningPair
from pairs.permissions import can_edit_pair
from programme.models import User

from .models import Output, OutputQuerySet
from .rules import is_in_review


def visible_outputs(user: User | AnonymousUser) -> OutputQuerySet:
    """Outputs the user may read; archived outputs are nobody's.

    The public: published public outputs. A member: their own pair's, and their cohort's shared ones
    (visible to the cohort or the public) in any status. Staff: every output of the cohorts they run.
    """
    outputs = Output.objects.current()
    if not user.is_authenticated:
        return outputs.public()
    if user.is_programme_manager:
        return outputs
    own_pairs = LearningPair.objects.for_user(user).values("pk")
    shared = Q(
        pair__cohort__in=member_cohorts(user).values("pk"),
        visibility__in=(Output.Visibility.COHORT, Output.Visibility.PUBLIC),
    )
    public = Q(status=Output.Status.PUBLISHED, visibility=Output.Visibility.PUBLIC)
    staff = Q(pair__cohort__in=staff_cohorts(user).values("pk"))
    return outputs.filter(Q(pair__in=own_pairs) | shared | public | staff)


def get_output_for_user(user: User | AnonymousUser, pk: int) -> Output:
    """The output if the user may read it; 404 otherwise, so a hidden output's existence is not revealed."""
    try:
        return visible_outputs(user).with_credits().get(pk=pk)
    except Output.DoesNotExist:
        raise Http404("No such output") from None


def can_edit_output(user: User, output: Output) -> bool:
    """Only the pair's current members write, submit and archive their outputs, while the cohort is open to
    them, and not while the output (or its revision) is in review: it is read-only until sent back."""
    return can_edit_pair(user, output.pair) and not is_in_review(output)


def can_review_output(user: User, output: Output) -> bool:
    """The cohort's facilitators and programme managers publish, send back and feature outputs."""
    return is_cohort_staff(user, output.pair.cohort)


def get_library_output(pk: int) -> Output:
    """A published public output, whoever asks: the public library shows nothing else."""
    try:
        return Output.objects.public().with_credits().get(pk=pk)
    except Output.DoesNotExist:
        raise Http404("No such output in the library") from None
