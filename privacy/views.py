"""A person's own data and privacy; programme managers' subject access requests and erasure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from programme.forms import add_service_error
from programme.models import User
from programme.typing import AuthenticatedHttpRequest

from . import rules, services
from .download import download_name, personal_zip, section_counts
from .forms import ErasureForm, PersonSearchForm
from .models import Erasure
from .permissions import check_privacy_officer, get_person_for_manager

PEOPLE_PER_PAGE = 25
ERASED = "{label} has been erased: their account is anonymised and their shared records kept under that label."


def _zip_response(person: User) -> FileResponse:
    return FileResponse(
        personal_zip(person), as_attachment=True, filename=download_name(person), content_type="application/zip"
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
    return render(request, "privacy/people.html", {"form": form, "page": page, "erasures": erasures})


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
