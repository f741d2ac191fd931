"""The call for applications (public) and selection (the cohort's staff)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from programme.typing import AuthenticatedHttpRequest

from ..application_forms import (
    DECISION_CHOICES,
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
    ReviewerNotesForm,
)
from ..models import Application, Cohort
from ..permissions import (
    CHOSEN_COHORT_SESSION_KEY,
    get_application_for_staff,
    get_cohort_for_staff,
    memberships_of,
)
from ..recruitment import (
    application_attempt_record,
    application_decide,
    application_notes_save,
    application_submit,
    application_tally,
)
from ..rules import applications_closed_message, applications_open

RECEIVED_SESSION_KEY = "applications_received"
APPLICATIONS_PER_PAGE = 50
NOTES_SAVED = "Your notes are saved."
DECIDED = {
    Application.Status.SHORTLISTED: "{name} is on the shortlist.",
    Application.Status.ACCEPTED: "{name} is accepted: they are a member of the cohort and have been emailed an invitation.",
    Application.Status.WAITLISTED: "{name} is on the waiting list and has been told.",
    Application.Status.DECLINED: "{name} is declined and has been told.",
}


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    """The call for applications to one cohort, open to anyone while its application window is."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_pk)
    is_open = applications_open(cohort, today=timezone.localdate())
    form = ApplicationForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and not is_open:
        # The call closed while they were typing: say so, and keep what they wrote.
        form.is_valid()
        form.add_error(None, applications_closed_message(cohort))
    elif request.method == "POST" and form.is_valid():
        if form.is_spam:
            # Tell a bot nothing: the same page a person sees, but nothing is recorded or sent.
            return redirect("cohorts:apply-received", cohort_pk=cohort.pk)
        try:
            application_attempt_record(address=get_client_ip_address(request) or "unknown")
            application = application_submit(cohort=cohort, **form.submit_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            received = request.session.get(RECEIVED_SESSION_KEY, {})
            received[str(cohort.pk)] = application.pk
            request.session[RECEIVED_SESSION_KEY] = received
            return redirect("cohorts:apply-received", cohort_pk=cohort.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "is_open": is_open,
        "closed_message": None if is_open else applications_closed_message(cohort),
    }
    return render(request, "cohorts/apply.html", context)


def apply_received(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    """What happens next, for the person who just applied (read from their session: nobody else's)."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_pk)
    application_pk = request.session.get(RECEIVED_SESSION_KEY, {}).get(str(cohort.pk))
    application = Application.objects.filter(pk=application_pk, cohort=cohort).first() if application_pk else None
    return render(request, "cohorts/apply_received.html", {"cohort": cohort, "application": application})


@login_required
def application_list(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """Selection: a cohort's applications with filters, and the pool against the cohort's targets."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    filters = ApplicationFilterForm(request.GET or None, cohort=cohort)
    applications = filters.apply(Application.objects.for_cohort(cohort).for_review().order_by("submitted_at", "pk"))
    page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/application_list.html",
        {"cohort": cohort, "filters": filters, "page": page, "tally": application_tally(cohort)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One application: the applicant's answers, private reviewer notes, and the decision."""
    application = get_application_for_staff(request.user, pk)
    notes_form = ReviewerNotesForm(initial={"notes": application.reviewer_notes})
    if request.method == "POST" and "notes" in request.POST:
        notes_form = ReviewerNotesForm(request.POST)
        if notes_form.is_valid():
            application_notes_save(application=application, notes=notes_form.cleaned_data["notes"])
            messages.success(request, NOTES_SAVED)
            return redirect("cohorts:application-detail", pk=application.pk)
    elif request.method == "POST":
        decision_form = DecisionForm(request.POST)
        if not decision_form.is_valid():
            raise Http404("No such decision")
        decision = decision_form.cleaned_data["decision"]
        try:
            application_decide(application=application, decision=decision, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, DECIDED[decision].format(name=application.full_name))
        return redirect("cohorts:application-detail", pk=application.pk)
    return render(
        request,
        "cohorts/application_detail.html",
        {
            "application": application,
            "cohort": application.cohort,
            "notes_form": notes_form,
            "decisions": [choice for choice in DECISION_CHOICES if choice[0] != application.status],
        },
    )


@login_required
@require_POST
def cohort_switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A member of several cohorts chooses which one their dashboard and directory show."""
    try:
        cohort_id = int(request.POST.get("cohort", ""))
    except ValueError:
        raise Http404("No such cohort") from None
    if not any(m.cohort_id == cohort_id for m in memberships_of(request.user)):
        raise Http404("Not a cohort of yours")
    request.session[CHOSEN_COHORT_SESSION_KEY] = cohort_id
    return redirect("home")
