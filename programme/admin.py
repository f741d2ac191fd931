"""Admin for programme managers: organisations, people, programmes and disconnects.

The admin site itself (grouped by task) is in admin_site.py. This module also holds the small helpers the other apps' admins
import (apps depend one way, so helpers shared by every admin live in the lowest app).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import batched
from typing import Any

import tablib
from axes.utils import reset as axes_reset
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Model, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import path, reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import SafeString
from import_export import resources
from import_export.admin import ImportExportMixin, ImportExportModelAdmin
from import_export.fields import Field
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.widgets import ManyToManyWidget
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import rules, shape
from .export_files import ExportRows, export_file_request, register_source
from .imports import PersonImportResource, person_template_dataset
from .models import (
    ActivityKind,
    Disconnect,
    EventKind,
    ExportFile,
    Organisation,
    PolicyArea,
    Programme,
    RefiningStep,
    Sector,
    Side,
    User,
)
from .rules import EMAIL_TAKEN as EMAIL_TAKEN


def limit_choices(form: type[forms.Form | forms.ModelForm], name: str, queryset: QuerySet) -> None:
    """Narrow a form's choice field and read its options once, so inline rows don't each query them again."""
    field = form.base_fields.get(name)
    if isinstance(field, forms.ModelChoiceField):  # absent when the field is read-only for this user
        field.queryset = queryset
        field.choices = list(field.choices)  # type: ignore[arg-type]  # a ModelChoiceField's choices iterate as pairs


class ChunkedExportResource(resources.ModelResource):
    """A resource whose exports walk the queryset in chunks, so memory stays flat however many rows there are.

    django-import-export pages a prefetching queryset with OFFSET (the database re-sorts the table for
    every page); iterator(chunk_size=...) reads one server-side cursor and prefetches per chunk instead.
    prepare_chunk lets a resource load what its rows need for a whole chunk at once.
    """

    class Meta:
        chunk_size = 2000

    def iter_queryset(self, queryset: Any) -> Iterator[Any]:
        if not isinstance(queryset, QuerySet):
            yield from queryset
            return
        size = self.get_chunk_size()
        for chunk in batched(queryset.iterator(chunk_size=size), size):
            self.prepare_chunk(list(chunk))
            yield from chunk

    def prepare_chunk(self, rows: list[Any]) -> None:
        """Load, for a chunk of rows at once, anything their fields read. Nothing by default."""


def shape_code_filter(kind: str, field_path: str, title: str) -> type[admin.SimpleListFilter]:
    """A list filter on a stored shape code (a side, a sector) that offers every programme's entries by name;
    a code two programmes share is listed once. One query per page, read afresh (not from the shape cache), so
    a list costs the same queries every time."""
    model: type[Side] | type[Sector] = Side if kind == "side" else Sector

    class ShapeCodeFilter(admin.SimpleListFilter):
        parameter_name = field_path

        def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
            names: dict[str, str] = {}
            for code, name in model.objects.order_by("programme_id", "order").values_list("code", "name"):
                names.setdefault(code, name)
            return list(names.items())

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            return queryset.filter(**{field_path: self.value()}) if self.value() else queryset

    ShapeCodeFilter.title = title
    return ShapeCodeFilter


def adopt(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved object the row a service created, so the admin's inlines, log and redirect use it."""
    obj.pk = saved.pk
    obj.refresh_from_db()
    obj._state.adding = False


def admin_export_rows(export: ExportFile) -> ExportRows:
    """The rows of an admin export written by the task worker: the list as its requester filtered it, through the
    same resource, columns and chunked reading as an export in the request; their permission is checked again."""
    model = apps.get_model(export.parameters["model"])
    model_admin: Any = admin.site._registry[model]
    request = RequestFactory().get("/", QueryDict(export.parameters.get("query", "")))
    request.user = export.requested_by
    if not model_admin.has_export_permission(request):
        raise PermissionDenied
    queryset = model_admin.get_export_queryset(request)
    if export.parameters.get("pks") is not None:
        queryset = queryset.filter(pk__in=export.parameters["pks"])
    resource_class = model_admin.get_export_resource_classes(request)[export.parameters.get("resource", 0)]
    resource = resource_class(**model_admin.get_export_resource_kwargs(request))
    queryset = resource.filter_export(queryset)
    fields = export.parameters.get("fields") or None
    native = export.file_format == "xlsx"  # typed cells, as the admin's XLSX export writes them
    rows = (
        resource.export_resource(row, selected_fields=fields, force_native_type=native)
        for row in resource.iter_queryset(queryset)
    )
    return ExportRows(headers=resource.get_export_headers(selected_fields=fields), rows=rows, total=queryset.count())


register_source("admin", admin_export_rows)


class BackgroundExportMixin:
    """An admin export of more than EXPORT_IN_REQUEST_MAX_ROWS rows is written by the task worker, not the request.

    django-import-export builds the whole file in the request (every row in one tablib dataset): at 100,000
    rows that outlasts the web worker's timeout. Above the threshold the manager is sent to the export's page,
    which shows its progress and offers the file when it is ready (programme.export_files)."""

    def _do_file_export(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, export_form: Any = None
    ) -> HttpResponse:
        rows = queryset.count()
        if rows <= settings.EXPORT_IN_REQUEST_MAX_ROWS:
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)  # type: ignore[misc]
        this: Any = self
        chosen_pks = None
        if export_form is not None and "export_items" in export_form.changed_data:
            chosen_pks = [int(pk) for pk in export_form.cleaned_data["export_items"]]
        export = export_file_request(
            requested_by=request.user,  # type: ignore[arg-type]  # the admin is for signed-in staff
            title=str(this.model._meta.verbose_name_plural).capitalize(),
            source="admin",
            parameters={
                "model": this.model._meta.label,
                "query": request.GET.urlencode(),
                "resource": this.get_resource_index(export_form),
                "fields": this.get_export_resource_fields_from_form(export_form),
                "pks": chosen_pks,
            },
            file_format=file_format.get_extension(),
            filename=this.get_export_filename(request, queryset, file_format),
            rows_total=rows,
        )
        return redirect(export)


class ExportPermissionMixin:
    """Exports and imports need the model's own permissions, not just access to the admin.

    django-import-export allows any staff user to export unless a permission code is configured.
    """

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)  # type: ignore[attr-defined]

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)  # type: ignore[attr-defined]


CHANGE_REASON_HELP = "Optional. Kept in the record's history, e.g. \"Moved at the member's request\"."


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """History in words: a choice shows its label ("Active"), not its stored value ("active")."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        if getattr(field, "choices", None) and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class QuickActionCheckbox:
    """The changelist's row checkbox as one `format_html`, not a form widget rendered through the template engine:
    the same markup as Django's, at a tenth of the cost (a widget render per row was a fifth of a 50-row page)."""

    def action_checkbox(self, obj: Model) -> SafeString:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html("Select this object for an action - {}", str(obj)),
        )


class QuickChangeList(ChangeList):
    """A changelist whose rows' change links come from one `reverse` per page, not one per row (a tenth of a
    25-row page's cell rendering went on resolving the same URL pattern)."""

    _PK_SLOT = "__pk__"

    def url_for_result(self, result: Model) -> str:
        pattern = getattr(self, "_change_url_pattern", None)
        if pattern is None:
            pattern = self._change_url_pattern = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(self._PK_SLOT,),
                current_app=self.model_admin.admin_site.name,
            )
        return pattern.replace(self._PK_SLOT, iri_to_uri(str(quote(getattr(result, self.pk_attname)))), 1)


def year_filter(field_name: str, title: str) -> type[admin.SimpleListFilter]:
    """A list filter by year of a date field: the years between the field's first and last value.

    It stands in for `date_hierarchy`, whose year links come from `SELECT DISTINCT DATE_TRUNC(...)` over the
    whole table (tens of milliseconds at 100,000 rows, on every page); the first and last value are two
    lookups in the field's index, and choosing a year filters on a date range the index serves."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field_name}_year"

        def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
            bounds = model_admin.model._default_manager.aggregate(first=Min(field_name), last=Max(field_name))
            if bounds["first"] is None:
                return []
            return [(str(year), str(year)) for year in range(bounds["last"].year, bounds["first"].year - 1, -1)]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            value = self.value()
            if not value:
                return queryset
            try:
                year = int(value)
            except ValueError:
                return queryset.none()
            return queryset.filter(**{f"{field_name}__year": year})

    YearFilter.title = title
    return YearFilter


class HistoryAdmin(QuickActionCheckbox, SimpleHistoryAdmin):
    """An admin whose changes are kept in history with the reason the manager gives on the form."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return QuickChangeList

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any) -> Any:
        return ReadableHistoryHelper(self.model, historical_record)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        reason = forms.CharField(
            label="Reason for this change", required=False, max_length=100, help_text=CHANGE_REASON_HELP
        )
        base: type[forms.BaseForm] = kwargs.get("form") or self.form
        kwargs["form"] = type("WithChangeReason", (base,), {"change_reason": reason})
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[tuple[str | None, dict[str, Any]]]:
        fieldsets = list(super().get_fieldsets(request, obj))
        may_save = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        named = {name for _, options in fieldsets for name in options.get("fields", ())}
        if may_save and "change_reason" not in named:
            fieldsets.append(("Why", {"fields": ["change_reason"]}))
        return fieldsets

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        # Set before save_model, which a subclass may hand to a service that saves the record itself.
        obj = super().save_form(request, form, change)
        obj._change_reason = form.cleaned_data.get("change_reason", "").strip() or None
        return obj


MAX_IMPORT_BYTES = 2 * 1024 * 1024
IMPORT_TOO_LARGE = "The file is larger than 2 MB. Split it into smaller files of a few hundred rows."


class SizeLimitedImportForm(ImportForm):
    """The admin's import form, refusing files too large to preview."""

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(IMPORT_TOO_LARGE)
        return upload


def xlsx_download(dataset: tablib.Dataset, filename: str) -> HttpResponse:
    response = HttpResponse(
        XLSX().export_data(dataset), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Organisations and policy areas -------------------------------------------------------------


class OrganisationResource(ChunkedExportResource):
    class Meta:
        model = Organisation
        fields = ("name", "sector", "website")
        import_id_fields = ("name",)
        clean_model_instances = True  # run the model's validation (sector choices, URL) on import
        skip_unchanged = True
        report_skipped = False


@admin.register(Organisation)
class OrganisationAdmin(ExportPermissionMixin, BackgroundExportMixin, ImportExportModelAdmin):  # type: ignore[misc]  # import-export stubs type `model` unlike Django's
    resource_classes = [OrganisationResource]
    list_display = ["name", "sector", "people_count", "website"]
    list_filter = [shape_code_filter("sector", "sector", "sector")]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description="People", ordering="people_count")
    def people_count(self, organisation: Organisation) -> int:
        return organisation.people_count  # type: ignore[attr-defined]  # annotated by get_queryset()


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "people_count"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PolicyArea]:
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description="People interested", ordering="people_count")
    def people_count(self, area: PolicyArea) -> int:
        return area.people_count  # type: ignore[attr-defined]  # annotated by get_queryset()


# --- People -------------------------------------------------------------------------------------


class _EmailIsUnique:
    """Email is the login: refuse one that differs from an existing one only in case."""

    instance: User
    cleaned_data: dict[str, Any]

    def clean_email(self) -> str:
        email = rules.normalise_email(self.cleaned_data["email"])
        rules.check_email_free(taken=User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists())
        return email


class PersonCreationForm(_EmailIsUnique, AdminUserCreationForm):
    """Add a person who signs in with their email; the password may be left unset for an invitation."""

    class Meta:
        model = User
        fields = ("email", "full_name", "job_title", "organisation")
        field_classes: dict[str, type[forms.Field]] = {}  # no UsernameField: there is no username


class PersonChangeForm(_EmailIsUnique, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict[str, type[forms.Field]] = {}


class PersonResource(ChunkedExportResource):
    """People as a spreadsheet: names and organisations, never passwords or calendar tokens."""

    organisation = Field(attribute="organisation__name", column_name="organisation")
    sector = Field(attribute="organisation__sector", column_name="sector")
    interests = Field(attribute="interests", column_name="interests", widget=ManyToManyWidget(PolicyArea, field="name"))  # type: ignore[type-var]  # stubs want an instance, the widget a class

    class Meta:
        model = User
        fields = (
            "email",
            "full_name",
            "job_title",
            "organisation",
            "sector",
            "interests",
            "is_staff",
            "is_active",
            "date_joined",
            "last_login",
        )
        export_order = fields


def shape_kind_filter(shape_kind: str, *, field: str = "kind", title: str = "kind") -> type[admin.SimpleListFilter]:
    """A list filter by a code of the programmes' shapes (an event's or activity's kind), offered by name."""

    class ShapeKindFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
            # One query on every list, as a filter by distinct values would make (not the minute-long cache).
            rows = apps.get_model("programme", shape_kind).objects.order_by("programme_id", "order")
            names: dict[str, str] = {}
            for code, name in rows.values_list("code", "name"):
                names.setdefault(code, name)
            return list(names.items())

        def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    ShapeKindFilter.title = title
    return ShapeKindFilter


class SignedInFilter(admin.SimpleListFilter):
    """Invited people who have not yet set a password and signed in."""

    title = "signed in"
    parameter_name = "signed_in"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("never", "Never signed in"), ("yes", "Has signed in")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        if self.value() == "never":
            return queryset.filter(last_login__isnull=True)
        if self.value() == "yes":
            return queryset.filter(last_login__isnull=False)
        return queryset


@admin.register(User)
class PersonAdmin(  # type: ignore[misc]  # import-export stubs type `model` unlike Django's
    QuickActionCheckbox, ExportPermissionMixin, BackgroundExportMixin, ImportExportMixin, DjangoUserAdmin
):
    list_per_page = 50
    show_full_result_count = False  # a second COUNT over the whole table on every page
    resource_classes = [PersonResource]
    actions = ["unlock_sign_in"]
    import_template_name = "admin/programme/user/import.html"
    import_formats = [CSV, XLSX]
    import_form_class = SizeLimitedImportForm

    def get_import_resource_classes(self, request: HttpRequest) -> list[type[resources.Resource[Any]]]:
        return [PersonImportResource]

    def get_urls(self) -> list[Any]:
        template = path(
            "import-template.xlsx",
            self.admin_site.admin_view(self.import_template_view),
            name="programme_user_import_template",
        )
        return [template, *super().get_urls()]

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        """The spreadsheet to fill in for an import of people: human headings and one example row."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return xlsx_download(person_template_dataset(), "pairwise-people-template.xlsx")

    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = ["full_name", "email", "organisation", "job_title", "is_staff", "is_active", "last_login"]
    list_select_related = ["organisation"]
    list_filter = [
        "is_staff",
        "is_superuser",
        "is_active",
        SignedInFilter,
        shape_code_filter("sector", "organisation__sector", "sector"),
        "groups",
    ]
    search_fields = ["full_name", "email", "organisation__name", "job_title"]
    ordering = ["full_name"]
    autocomplete_fields = ["organisation", "interests"]
    filter_horizontal = ()  # plain multiple selects: the filter widget is not accessible
    # Consent is the person's to give: shown here, changed only by them on their profile.
    readonly_fields = [
        "last_login",
        "date_joined",
        "consents_to_be_named",
        "naming_consent_changed_at",
        "credit_on_outputs",
    ]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("About them", {"fields": ("full_name", "job_title", "organisation", "interests", "bio")}),
        ("Contact", {"fields": ("phone", "share_contact_details")}),
        (
            "Consent to be named",
            {
                "fields": ("consents_to_be_named", "naming_consent_changed_at", "credit_on_outputs"),
                "description": "The person's own choices, changed on their profile page.",
            },
        ),
        (
            "Role and permissions",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": "Programme managers are staff. Facilitators are given cohorts on the cohort page.",
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "job_title",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_export_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_export_queryset(request).prefetch_related("interests")

    @admin.action(description="Unlock sign-in for the selected people")
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Clear failed sign-ins recorded against these accounts (django-axes), ending a lock-out."""
        cleared = sum(axes_reset(username=email) for email in queryset.values_list("email", flat=True))
        self.message_user(request, f"Sign-in unlocked for {queryset.count()} people ({cleared} lock records cleared).")


# --- Programmes and disconnects -----------------------------------------------------------------


class DisconnectInline(admin.StackedInline):
    model = Disconnect
    extra = 0
    fields = ["order", "title", "practice_finds", "policy_does"]


class ShapeEntryFormSet(forms.BaseInlineFormSet):
    """Refuses to remove an entry that records use, or to change its code (or a step's place): renaming and
    archiving stay open (programme.rules.check_shape_entry_change)."""

    def _removed(self, form: forms.BaseForm) -> bool:
        return bool(self.can_delete and self._should_delete_form(form))  # type: ignore[attr-defined]

    def clean(self) -> None:
        super().clean()
        assert self.model is not None
        kind = self.model._meta.model_name
        errors = []
        for form in self.forms:
            entry = form.instance
            if entry.pk is None or not hasattr(form, "cleaned_data"):
                continue
            removed = self._removed(form)
            key_changed = (
                bool({"code", "order"} & set(form.changed_data))
                if kind == "refiningstep"
                else ("code" in form.changed_data)
            )
            if not (removed or key_changed):
                continue
            saved = type(entry).objects.get(pk=entry.pk)
            try:
                rules.check_shape_entry_change(
                    name=saved.name,
                    in_use=shape.in_use(kind, saved.programme_id, saved.code),
                    removed=removed,
                    key_changed=key_changed,
                )
            except forms.ValidationError as error:
                errors.extend(error.messages)
        current = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not form.cleaned_data.get("archived")
            and not self._removed(form)
        ]
        if not current:
            errors.append(rules.SHAPE_NEEDS_AN_ENTRY.format(kind=self.model._meta.verbose_name))
        if errors:
            raise forms.ValidationError(errors)


class ShapeEntryInline(admin.TabularInline):
    formset = ShapeEntryFormSet
    extra = 0
    classes = ["collapse"]


class SideInline(ShapeEntryInline):
    model = Side
    fields = ["order", "code", "name", "plural", "short_label", "description", "archived"]


class SectorInline(ShapeEntryInline):
    model = Sector
    fields = ["order", "code", "name", "recruited_by_organisation", "archived"]


class RefiningStepInline(admin.StackedInline):
    model = RefiningStep
    formset = ShapeEntryFormSet
    extra = 0
    classes = ["collapse"]
    fields = ["order", "code", "name", "guidance", "default_due_after_days", "archived"]


class EventKindInline(ShapeEntryInline):
    model = EventKind
    fields = ["order", "code", "name", "counts_towards_commitment", "archived"]


class ActivityKindInline(ShapeEntryInline):
    model = ActivityKind
    fields = ["order", "code", "name", "counts_towards_commitment", "report_group", "archived"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """The programme and its shape: sides, sectors, groups, steps, event and activity kinds and wording.
    Only programme managers (staff) reach the admin; facilitators are not staff."""

    list_display = ["name", "slug", "partner_names"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["partners"]
    inlines = [SideInline, SectorInline, RefiningStepInline, EventKindInline, ActivityKindInline, DisconnectInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "partners", "annex_names_need_consent"]}),
        (
            "Groups",
            {
                "fields": [
                    ("group_word", "group_word_plural"),
                    ("min_group_size", "max_group_size"),
                    "min_sides_per_group",
                    "one_per_organisation",
                ]
            },
        ),
        (
            "Wording",
            {
                "description": "The programme's own words: the report and quotes use these, never fixed ones. "
                "The preview shows the saved wording with this programme's first side and event kind.",
                "fields": [
                    "attribution_pattern",
                    "cohort_phrase",
                    "guest_phrase",
                    "report_title_pattern",
                    "wording_preview",
                ],
            },
        ),
    ]
    readonly_fields = ["wording_preview"]

    def get_inlines(self, request: HttpRequest, obj: Programme | None = None) -> list[Any]:
        # A new programme starts with the default shape (programme.signals); its parts are edited once it exists.
        return self.inlines if obj is not None else [DisconnectInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Programme]:
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description="Preview")
    def wording_preview(self, programme: Programme) -> str:
        if programme.pk is None:
            return "Shown once the programme is saved."
        saved = shape.shape_of(programme.pk)
        sides, kinds = saved.sides.current(), saved.event_kinds.current()
        event = f"{kinds[0].name} 4" if kinds else ""
        member = saved.attribution(year=2, side=sides[0].short_label if sides else "", event=event)
        guest = saved.attribution(year=2, side=saved.guest_phrase, event=event)
        title = saved.report_title(cohort_name="2015-16")
        return f"A member quoted: {member} · a guest quoted: {guest} · report title: {title}"

    @admin.display(description="Partners")
    def partner_names(self, programme: Programme) -> str:
        return ", ".join(partner.name for partner in programme.partners.all())


@admin.register(Disconnect)
class DisconnectAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "order", "practice_finds", "policy_does"]
    list_select_related = ["programme"]
    list_filter = ["programme"]
    search_fields = ["title", "practice_finds", "policy_does"]
    ordering = ["programme__name", "order"]
    autocomplete_fields = ["programme"]


# --- Exported files -----------------------------------------------------------------------------


@admin.register(ExportFile)
class ExportFileAdmin(admin.ModelAdmin):
    """Each manager's own big exports, to come back to their files: read-only, written by the task worker."""

    list_display = ["title", "file_format", "status", "rows_written", "created_at", "export_page"]
    list_filter = ["status"]
    ordering = ["-created_at", "-pk"]
    readonly_fields = fields = (
        "title",
        "file_format",
        "status",
        "rows_written",
        "rows_total",
        "created_at",
        "finished_at",
        "export_page",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExportFile]:
        return super().get_queryset(request).filter(requested_by=request.user)  # they hold what the requester may see

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # exports start from a list's Export button

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="File")
    def export_page(self, export: ExportFile) -> str:
        label = "Download" if export.status == ExportFile.Status.READY else "Progress"
        return format_html('<a href="{}">{}</a>', export.get_absolute_url(), label)
