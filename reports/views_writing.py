"""Writing the year-end report on staff pages: each question's framing and ordered findings, each finding's
evidence (cited insights and references, case studies after it), the cohort's references and case studies.

Only staff of the cohort reach these pages (get_cohort_for_staff: 404 for others); every object is looked up
through the cohort, so another cohort's findings or case studies are 404. Edits carry the version the writer
opened: a save over someone else's newer text is refused and shows theirs. The editors autosave through
static/js/autosave.js, which posts the same form with an `X-Autosave` header and gets JSON back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.models import Cohort, Finding, Insight, Question, number_insight_events
from cohorts.permissions import get_cohort_for_staff
from cohorts.services import EditConflict, finding_create, finding_delete, finding_move
from outputs.models import Output
from programme.forms import add_service_error
from programme.typing import AuthenticatedHttpRequest

from .building import report_unplaced_outputs
from .citations import INSIGHT, REFERENCE, citation, citations_in
from .forms_writing import CaseStudyForm, FindingCreateForm, FindingForm, FramingForm, ReferenceForm
from .models import CaseStudy, Reference
from .services import (
    case_study_delete,
    case_study_move,
    case_study_save,
    finding_write,
    framing_write,
    reference_delete,
    reference_save,
)

PAGE_SIZE = 25
AUTOSAVED = "Draft saved at {time}."


def _autosave(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("X-Autosave") == "1"


def _saved_json(version: int) -> JsonResponse:
    time = timezone.localtime().strftime("%H:%M:%S")
    return JsonResponse({"saved": True, "version": version, "message": AUTOSAVED.format(time=time)})


def _refused_json(form, conflict: EditConflict | None = None) -> JsonResponse:
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    body: dict = {"saved": False, "errors": errors}
    if conflict is not None:
        body["conflict"] = {"message": str(conflict), "text": conflict.text}
        body["version"] = conflict.version
    return JsonResponse(body, status=409 if conflict else 400)


def _show_conflict(form, conflict: EditConflict) -> EditConflict:
    """Keep the writer's text, say whose is newer, and base the next save on theirs (now shown beside it)."""
    form.data = form.data.copy()
    form.data["version"] = str(conflict.version)
    form.add_error(None, str(conflict))
    return conflict


def _save_draft(
    request: AuthenticatedHttpRequest,
    form: Any,
    write: Callable[[dict[str, Any]], Any],
    *,
    version: Callable[[Any], int],
    saved_message: Callable[[Any], str],
    text_field: str,
    cohort: Cohort,
) -> tuple[HttpResponse | None, EditConflict | None]:
    """The save flow the framing and finding editors share: an autosave is answered in JSON, a save
    returns to the writing page, and a clash with another writer keeps the form with their text.

    Returns the response to send, if any, and the conflict to show on the form."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = write(form.cleaned_data)
        except EditConflict as error:
            conflict = _show_conflict(form, error)
        except ValidationError as error:
            add_service_error(form, error, field_names={"__all__": text_field})
        else:
            if _autosave(request):
                return _saved_json(version(saved)), None
            messages.success(request, saved_message(saved))
            return redirect("reports:writing", cohort_pk=cohort.pk), None
    if request.method == "POST" and _autosave(request):
        return _refused_json(form, conflict), None
    return None, conflict


def _finding_for(cohort: Cohort, pk: int) -> Finding:
    return get_object_or_404(
        Finding.objects.select_related("question__cohort", "updated_by"), pk=pk, question__cohort=cohort
    )


def _question_for(cohort: Cohort, pk: int) -> Question:
    return get_object_or_404(Question.objects.select_related("cohort"), pk=pk, cohort=cohort)


@login_required
@require_GET
def writing(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """Every question's framing and findings, in order, with the buttons to reorder, edit and add them."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    findings = Finding.objects.order_by("order", "pk").annotate(case_study_count=Count("case_studies"))
    questions = list(
        Question.objects.filter(cohort=cohort).order_by("order", "pk").prefetch_related(Prefetch("findings", findings))
    )
    counts = {
        "case_studies": CaseStudy.objects.for_cohort(cohort).count(),
        "references": Reference.objects.filter(cohort=cohort).count(),
        "insights": Insight.objects.filter(cohort=cohort).count(),
    }
    return render(request, "reports/writing.html", {"cohort": cohort, "questions": questions, "counts": counts})


@login_required
@require_http_methods(["GET", "POST"])
def framing(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    question = _question_for(cohort, pk)
    initial = {"framing": question.framing, "version": question.framing_version}
    form = FramingForm(request.POST or None, initial=initial)
    response, conflict = _save_draft(
        request,
        form,
        lambda data: framing_write(
            question=question, framing=data["framing"], by=request.user, based_on=data["version"]
        ),
        version=lambda saved: saved.framing_version,
        saved_message=lambda saved: f"Framing of “{question.short_title}” saved.",
        text_field="framing",
        cohort=cohort,
    )
    if response is not None:
        return response
    context = {"cohort": cohort, "question": question, "form": form, "conflict": conflict}
    context |= _evidence(cohort)
    return render(request, "reports/framing_form.html", context)


def _evidence(cohort: Cohort) -> dict:
    """What the evidence picker lists: the cohort's insights with their attributions, and its references."""
    insights = number_insight_events(
        list(Insight.objects.filter(cohort=cohort).with_attribution().order_by("question__order", "recorded_at", "pk"))
    )
    return {
        "insights": [(insight, citation(INSIGHT, insight.pk)) for insight in insights],
        "references": [
            (reference, citation(REFERENCE, reference.pk)) for reference in Reference.objects.filter(cohort=cohort)
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def finding_new(request: AuthenticatedHttpRequest, cohort_pk: int, question_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    question = _question_for(cohort, question_pk)
    form = FindingCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding = finding_create(question=question, title=form.cleaned_data["title"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Finding added: now write its text and pick its evidence.")
            return redirect("reports:finding-edit", cohort_pk=cohort.pk, pk=finding.pk)
    return render(request, "reports/finding_new.html", {"cohort": cohort, "question": question, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    """The finding's title and body, with the evidence picker beside it and its case studies below."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    finding = _finding_for(cohort, pk)
    initial = {
        "title": finding.title,
        "body": finding.body,
        "version": finding.version,
        "case_studies": list(finding.case_studies.values_list("pk", flat=True)),
    }
    form = FindingForm(request.POST or None, initial=initial, cohort=cohort)
    response, conflict = _save_draft(
        request,
        form,
        lambda data: finding_write(
            finding=finding,
            title=data["title"],
            body=data["body"],
            case_studies=data["case_studies"],
            by=request.user,
            based_on=data["version"],
        ),
        version=lambda saved: saved.version,
        saved_message=lambda saved: f"“{saved.title}” saved.",
        text_field="body",
        cohort=cohort,
    )
    if response is not None:
        return response
    history = finding.history.select_related("history_user")[:10]
    context = {"cohort": cohort, "finding": finding, "form": form, "conflict": conflict, "history": history}
    context |= _evidence(cohort)
    return render(request, "reports/finding_form.html", context)


@login_required
@require_POST
def finding_reorder(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    """Move a finding up or down its question's list: the keyboard's way to reorder (WCAG 2.5.7)."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    finding = _finding_for(cohort, pk)
    finding_move(finding=finding, up=request.POST.get("direction") == "up")
    messages.success(request, f"Moved “{finding.title}” {'up' if request.POST.get('direction') == 'up' else 'down'}.")
    return redirect(f"{_writing_url(cohort)}#finding-{finding.pk}")


def _confirm_delete(
    request: AuthenticatedHttpRequest,
    delete: Callable[[], object],
    *,
    done: str,
    back: str,
    cohort: Cohort,
    **page: Any,
) -> HttpResponse:
    """The writing pages' one way to delete: a confirmation page on GET, the deletion on POST."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect(back, cohort_pk=cohort.pk)
    context = {"cohort": cohort, "cancel": reverse(back, args=[cohort.pk]), **page}
    return render(request, "reports/confirm_delete.html", context)


def _writing_url(cohort: Cohort) -> str:
    return reverse("reports:writing", args=[cohort.pk])


@login_required
@require_http_methods(["GET", "POST"])
def finding_remove(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    finding = _finding_for(cohort, pk)
    return _confirm_delete(
        request,
        lambda: finding_delete(finding=finding),
        done=f"“{finding.title}” deleted. Its case studies are kept, without a finding.",
        back="reports:writing",
        cohort=cohort,
        title=f"Delete the finding “{finding.title}”?",
        consequence="Its text and citations go; its case studies stay in the report without a finding.",
    )


# --- Case studies ------------------------------------------------------------------------------------------


@login_required
@require_GET
def case_studies(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    studies = CaseStudy.objects.for_cohort(cohort).in_order().with_credits().select_related("finding__question")
    page = Paginator(studies, PAGE_SIZE).get_page(request.GET.get("page"))
    unplaced = report_unplaced_outputs(cohort)
    return render(request, "reports/case_studies.html", {"cohort": cohort, "page": page, "unplaced": unplaced})


def _case_study_form(request: AuthenticatedHttpRequest, cohort: Cohort, study: CaseStudy) -> HttpResponse:
    initial = _case_study_initial(request, cohort) if not study.pk else {}
    form = CaseStudyForm(request.POST or None, instance=study, cohort=cohort, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = case_study_save(
                case_study=form.save(commit=False),
                credited_people=form.cleaned_data["credited_people"],
                by=request.user,
                based_on=form.cleaned_data["version"] if study.pk else None,
            )
        except EditConflict as error:
            conflict = _show_conflict(form, error)
        except ValidationError as error:
            add_service_error(form, error, field_names={"__all__": "body"})
        else:
            if _autosave(request):
                return _saved_json(saved.version)
            messages.success(request, f"Case study {saved.order}, “{saved.title}”, saved.")
            return redirect("reports:case-studies", cohort_pk=cohort.pk)
    if request.method == "POST" and _autosave(request):
        return _refused_json(form, conflict)
    context = {"cohort": cohort, "study": study, "form": form, "conflict": conflict} | _evidence(cohort)
    return render(request, "reports/case_study_form.html", context)


def _case_study_initial(request: AuthenticatedHttpRequest, cohort: Cohort) -> dict:
    """A new case study's starting point: ?finding= places it after a finding, ?output= takes a pair's output."""
    initial: dict = {}
    finding, output_pk = request.GET.get("finding", ""), request.GET.get("output", "")
    if finding.isdigit():
        initial["finding"] = int(finding)
    output = Output.objects.current().for_cohort(cohort).filter(pk=output_pk).first() if output_pk.isdigit() else None
    if output is not None:
        initial |= {"output": output.pk, "origin": CaseStudy.Origin.PAIR_OUTPUT, "title": output.title}
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def case_study_new(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    return _case_study_form(request, cohort, CaseStudy(cohort=cohort))


def _case_study_for(cohort: Cohort, pk: int) -> CaseStudy:
    return get_object_or_404(CaseStudy.objects.select_related("cohort"), pk=pk, cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def case_study_edit(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    return _case_study_form(request, cohort, _case_study_for(cohort, pk))


@login_required
@require_POST
def case_study_reorder(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    study = _case_study_for(cohort, pk)
    case_study_move(case_study=study, up=request.POST.get("direction") == "up")
    return redirect("reports:case-studies", cohort_pk=cohort.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_study_remove(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    study = _case_study_for(cohort, pk)
    return _confirm_delete(
        request,
        lambda: case_study_delete(case_study=study),
        done=f"Case study “{study.title}” deleted; the others are renumbered.",
        back="reports:case-studies",
        cohort=cohort,
        title=f"Delete the case study “{study.title}”?",
        consequence="It leaves the report, and the case studies after it are renumbered.",
    )


# --- References --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def references(request: AuthenticatedHttpRequest, cohort_pk: int) -> HttpResponse:
    """The cohort's references, each with its citation to type, and a form to add one."""
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    form = ReferenceForm(request.POST or None, instance=Reference(cohort=cohort))
    if request.method == "POST" and form.is_valid():
        try:
            reference = reference_save(reference=form.save(commit=False))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Reference added: cite it as {citation(REFERENCE, reference.pk)}.")
            return redirect("reports:references", cohort_pk=cohort.pk)
    page = Paginator(Reference.objects.filter(cohort=cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(reference, citation(REFERENCE, reference.pk)) for reference in page]
    return render(request, "reports/references.html", {"cohort": cohort, "form": form, "page": page, "rows": rows})


def _reference_for(cohort: Cohort, pk: int) -> Reference:
    return get_object_or_404(Reference, pk=pk, cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def reference_edit(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    reference = _reference_for(cohort, pk)
    form = ReferenceForm(request.POST or None, instance=reference)
    if request.method == "POST" and form.is_valid():
        try:
            reference_save(reference=form.save(commit=False))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Reference saved.")
            return redirect("reports:references", cohort_pk=cohort.pk)
    return render(request, "reports/reference_form.html", {"cohort": cohort, "reference": reference, "form": form})


def _citing(cohort: Cohort, kind: str, pk: int) -> list[str]:
    """Titles of the findings, framings and case studies that cite this insight or reference."""
    texts = [(f.title, f.body) for f in Finding.objects.filter(question__cohort=cohort).only("title", "body")]
    texts += [(f"Framing of {q.short_title}", q.framing) for q in Question.objects.filter(cohort=cohort)]
    texts += [(f"Case study: {c.title}", c.body) for c in CaseStudy.objects.for_cohort(cohort).only("title", "body")]
    return [title for title, text in texts if (kind, pk) in citations_in(text)]


@login_required
@require_http_methods(["GET", "POST"])
def reference_remove(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    reference = _reference_for(cohort, pk)
    # Only the confirmation page lists the findings that cite it.
    citing = [] if request.method == "POST" else _citing(cohort, REFERENCE, reference.pk)
    return _confirm_delete(
        request,
        lambda: reference_delete(reference=reference),
        done="Reference deleted.",
        back="reports:references",
        cohort=cohort,
        title=f"Delete the reference “{reference.title}”?",
        consequence="Its citations will print nothing until you remove them." if citing else "",
        citing=citing,
    )
