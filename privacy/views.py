"""A person's own data and privacy; programme managers' subject access requests and erasure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cohorts.models import Application
from programme.forms import add_service_error
from programme.models import User
from programme.typing import AuthenticatedHttpRequest

from . import rules, services
from .download import applicant_zip, download_name, personal_zip, section_counts
from .forms import ErasureForm, PersonSearchForm
from .models import Erasure
from .permissions import check_privacy_officer, get_applicant_for_manager, get_person_for_manager

PEOPLE_PER_PAGE = 25
ERASED = "{label} has been erased: their account is anonymised and their shared records kept under that label."


def _zip_response(person: User) -> FileResponse:
    return FileResponse(
        personal_zip(person), as_attachment=True, filename=download_name(person.pk), content_type="application/zip"
    )


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What Pairwise holds about me, my consent to be named, and my download."""
    held = [(name, count) for name, count in section_counts(request.user) if count]
    return render(request, "privacy/mine.html", {"held": held})


@login_required
@require_GET
def mine_download(request: AuthenticatedHttpRequest) -> FileResponse:
    """Everything Pairwise holds about me, as a ZIP of JSON and my files."""
    return _zip_response(request.user)


@login_required
@require_GET
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers find the person a subject access or erasure request is about."""
    check_privacy_officer(request.user)
    form = PersonSearchForm(request.GET or None)
    found = User.objects.none()
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        found = (
            User.objects.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
            .select_related("organisation")
            .order_by("full_name", "pk")
        )
    page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    erasures = Erasure.objects.select_related("erased_by").order_by("-erased_at", "-pk")[:10]
    context = {"form": form, "page": page, "applicants": _applicants_matching(form), "erasures": erasures}
    return render(request, "privacy/people.html", context)


def _applicants_matching(form: PersonSearchForm) -> list[Application]:
    """Applicants with no account whose name or address matches: the first application from each address."""
    if not form.is_valid() or not form.cleaned_data["q"].strip():
        return []
    query = form.cleaned_data["q"].strip()
    matches = Application.objects.filter(user__isnull=True).filter(
        Q(full_name__icontains=query) | Q(email__icontains=query)
    )
    first_of_each = matches.order_by("email", "pk").values("email").annotate(first=Min("pk")).values("first")
    return list(Application.objects.filter(pk__in=first_of_each).order_by("full_name", "pk")[:PEOPLE_PER_PAGE])


@login_required
@require_GET
def person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One person's data, for a subject access request: what is held, the download, and erasure."""
    subject = get_person_for_manager(request.user, pk)
    held = [(name, count) for name, count in section_counts(subject) if count]
    context = {"subject": subject, "held": held, "erased": rules.is_erased_email(subject.email)}
    return render(request, "privacy/person.html", context)


@login_required
@require_GET
def person_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """A person's data as they would download it themselves, for a subject access request."""
    return _zip_response(get_person_for_manager(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Erase a person, after the manager confirms by typing their address."""
    subject = get_person_for_manager(request.user, pk)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.person_erase(
                person=subject, by=request.user, confirmation=form.cleaned_data["confirmation"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, ERASED.format(label=result.erasure.label))
            return redirect("privacy:people")
    subject.refresh_from_db()  # a refused erasure changed nothing; show the person as stored
    context = {
        "subject": subject,
        "form": form,
        "erased": rules.is_erased_email(subject.email),
        "label": rules.erased_label(subject.pk),
    }
    return render(request, "privacy/erase.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def applicant(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An applicant with no account, by one of their applications: what is held, the download, erasure."""
    application = get_applicant_for_manager(request.user, pk)
    applications = services.applicant_applications(application.email).select_related("cohort").order_by("pk")
    return render(request, "privacy/applicant.html", {"application": application, "applications": applications})


@login_required
@require_GET
def applicant_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """An applicant's data, for a subject access request from someone who never had an account."""
    application = get_applicant_for_manager(request.user, pk)
    archive = applicant_zip(application.email, full_name=application.full_name)
    name = download_name(f"applicant-{application.pk}")
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


@login_required
@require_http_methods(["GET", "POST"])
def applicant_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Erase an applicant with no account, after the manager confirms by typing their address."""
    application = get_applicant_for_manager(request.user, pk)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.applicant_erase(
                email=application.email, by=request.user, confirmation=form.cleaned_data["confirmation"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, ERASED.format(label=result.erasure.label))
            return redirect("privacy:people")
    context = {"application": application, "form": form, "label": rules.erased_applicant_label(application.pk)}
    return render(request, "privacy/applicant_erase.html", context, status=400 if form.is_bound else 200)
