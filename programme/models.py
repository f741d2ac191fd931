"""Programme-wide models: organisations, people, programmes and the disconnects they study."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from . import default_shape, rules, shape
from .fields import ShapeCodeField


class SectorCode(models.TextChoices):
    """The default shape's sector codes (programme.default_shape), for the demo, benchmarks and tests."""

    CENTRAL_GOVERNMENT = "central_government", "Central government department"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    sector = ShapeCodeField(shape_kind="sector")
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_sector_display(self) -> str:
        return shape.name_in_any_programme("sector", self.sector)

    def clean(self) -> None:
        # Organisations are shared between programmes: any programme's current sector will do.
        codes = [code for code, _ in shape.every_programmes_choices("sector")]
        rules.check_code_in_shape(self.sector, codes, field="sector", message=rules.UNKNOWN_SECTOR)


class PolicyArea(models.Model):
    """An interest a person declares ("homelessness", "youth employment"); pairing matches on these."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields: object) -> User:
        if not email:
            raise ValueError("Users must have an email address")
        user = self.model(email=rules.normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # People type their address in any case; it is stored lower-cased.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: programme staff, facilitator or cohort member. Signs in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    interests = models.ManyToManyField(PolicyArea, blank=True, related_name="people")
    bio = models.TextField("short bio", blank=True, max_length=1000)
    phone = models.CharField(max_length=40, blank=True)
    share_contact_details = models.BooleanField(
        default=True, help_text="Show my email address and phone number to the rest of my cohort."
    )
    credit_on_outputs = models.BooleanField(default=True, help_text="Name me on published outputs I helped make.")
    # The person's standing consent to be named in year-end reports and the public library. Off until they
    # give it; a per-item choice (a quote's consent, crediting on outputs) narrows it but never widens it:
    # programme.rules.may_be_named.
    consents_to_be_named = models.BooleanField(
        "consents to be named",
        default=False,
        help_text="Name me in year-end reports and the public library; without this I am anonymised.",
    )
    naming_consent_changed_at = models.DateTimeField("consent to be named last changed", null=True, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    is_staff = models.BooleanField(
        default=False, help_text="Programme managers are staff: they may sign in to the admin."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when this person's mail server refuses their address for good (an SMTP 5xx): nothing more is
    # sent to them until a manager clears it.
    email_refused_at = models.DateTimeField("address refused mail on", null=True, blank=True)
    email_refused_reason = models.CharField("mail server's reply", max_length=500, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["full_name"], name="user_by_name")]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = rules.normalise_email(self.email)

    @property
    def is_programme_manager(self) -> bool:
        return self.is_active and self.is_staff


class Programme(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_in_programmes",
        help_text="Organisations that run or fund the programme.",
    )
    annex_names_need_consent = models.BooleanField(
        "Annex A names only those who consent",
        default=False,
        help_text=(
            "Annex A of the year-end report lists every member by name. Tick this to list those who have not "
            "consented to be named by their side only."
        ),
    )
    # How the programme groups people (the defaults are the 2014-15 programme's pairs).
    group_word = models.CharField(
        "what a group is called", max_length=40, default="pair", help_text='e.g. "pair", "trio", "learning group".'
    )
    group_word_plural = models.CharField("what groups are called", max_length=40, default="pairs")
    min_group_size = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(2)], help_text="An active group has at least this many members."
    )
    max_group_size = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(2)], help_text="A group has at most this many members."
    )
    min_sides_per_group = models.PositiveSmallIntegerField(
        "different sides in a group",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="An active group has members from at least this many different sides.",
    )
    one_per_organisation = models.BooleanField(
        "never two from one organisation in a group",
        default=True,
        help_text="Untick to let two people from one organisation work in the same group.",
    )
    # The programme's own words, so that none is written into code or templates.
    attribution_pattern = models.CharField(
        max_length=100,
        default=default_shape.WORDING["attribution_pattern"],
        help_text="How the report cites a quote: {year} is the cohort's year of the programme, {side} the speaker's "
        "side and {event} the event's label (without an event the part after the side is left out).",
    )
    cohort_phrase = models.CharField(
        "what the report calls a cohort",
        max_length=60,
        default=default_shape.WORDING["cohort_phrase"],
        help_text='e.g. "core cohort", "exchange group".',
    )
    guest_phrase = models.CharField(
        "what the report calls a guest",
        max_length=60,
        default=default_shape.WORDING["guest_phrase"],
        help_text="Guests at events are cited under this name.",
    )
    report_title_pattern = models.CharField(
        "default report title",
        max_length=200,
        default=default_shape.WORDING["report_title_pattern"],
        help_text="The year-end report's title until the facilitators choose their own: {programme} is this "
        "programme's name and {cohort} the cohort's.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:programme_programme_change", args=[self.pk])

    def clean(self) -> None:
        rules.check_group_sizes(min_group_size=self.min_group_size, max_group_size=self.max_group_size)
        rules.check_sides_fit_group(min_sides_per_group=self.min_sides_per_group, max_group_size=self.max_group_size)
        rules.check_wording_patterns(
            attribution_pattern=self.attribution_pattern, report_title_pattern=self.report_title_pattern
        )


class Disconnect(models.Model):
    """A named gap between policy and practice that a cohort found; later questions derive from it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="disconnects")
    title = models.CharField(max_length=200)
    practice_finds = models.TextField(help_text="What practice finds, e.g. people need whole-person services.")
    policy_does = models.TextField(help_text="What policy does instead, e.g. policy operates in silos.")
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="disconnect_title_unique_per_programme"),
        ]

    def __str__(self) -> str:
        return self.title


# --- The programme's shape ----------------------------------------------------------------------
# Sides, sectors, refining steps, event kinds and activity kinds are rows of the programme, keyed by a
# stable code that the rows using them store (a membership's side, an event's kind), so renaming a
# label never changes what existing data means. Read them through programme.shape.shape_of().


class ShapeItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE)
    code = models.SlugField(
        max_length=32, help_text="A short fixed key stored on the records that use this; it cannot change later."
    )
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=1)
    archived = models.BooleanField(
        default=False, help_text="Archived items stay on the records that use them but cannot be chosen for new ones."
    )

    class Meta:
        abstract = True
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Side(ShapeItem):
    """A side people join from ("Policymaker", "Practitioner", "Person with lived experience")."""

    plural = models.CharField(
        max_length=100, help_text="What the side's members are called together, e.g. “Council officers”."
    )
    short_label = models.CharField(
        max_length=60, help_text="How attributions name someone on this side, in lower case, e.g. “council officer”."
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="How applicants recognise this side in the call for applications, e.g. "
        '"I work on policy in central government". Blank: the name.',
    )

    class Meta(ShapeItem.Meta):
        default_related_name = "sides"
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="side_code_unique_per_programme")]


class Sector(ShapeItem):
    """A kind of organisation ("Local authority", "NHS trust"); each organisation has one."""

    recruited_by_organisation = models.BooleanField(
        "count applications per organisation",
        default=False,
        help_text="Recruitment tallies applications from each organisation of this sector, and a cohort can "
        "target them (e.g. government departments).",
    )

    class Meta(ShapeItem.Meta):
        default_related_name = "sectors"
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="sector_code_unique_per_programme")]


class RefiningStep(ShapeItem):
    """One step of the programme's refining process; pairs work through them in `order` (1, 2, ...)."""

    guidance = models.TextField(blank=True, help_text="What a group does in this step, shown on the step's page.")
    default_due_after_days = models.PositiveSmallIntegerField(
        "due (days after the cohort starts)",
        default=60,
        help_text="A new cohort's deadline for this step; each cohort can change its own.",
    )

    class Meta(ShapeItem.Meta):
        default_related_name = "refining_steps"
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="step_code_unique_per_programme"),
            models.UniqueConstraint(fields=["programme", "order"], name="step_order_unique_per_programme"),
        ]


class EventKind(ShapeItem):
    """A kind of event ("Workshop", "Roundtable", "Visit"); `name` also labels citations ("Workshop 4")."""

    counts_towards_commitment = models.BooleanField(
        default=True, help_text="Attending an event of this kind counts towards a member's commitment."
    )

    class Meta(ShapeItem.Meta):
        default_related_name = "event_kinds"
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="event_kind_code_unique_per_programme")
        ]


class ActivityKind(ShapeItem):
    """A kind of activity groups log ("Visit to a local service", "Desk research")."""

    counts_towards_commitment = models.BooleanField(
        default=True, help_text="Hours logged as this kind count towards the members' commitment."
    )
    report_group = models.CharField(
        max_length=100,
        blank=True,
        help_text='The heading the year-end report counts this kind under, e.g. "Visits to each other\'s worlds"; '
        "blank: its own name.",
    )

    class Meta(ShapeItem.Meta):
        default_related_name = "activity_kinds"
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="activity_kind_code_unique_per_programme")
        ]


def export_upload_path(export: ExportFile, filename: str) -> str:
    """Files are served only through the export's download view; an unguessable folder besides."""
    return f"exports/{secrets.token_hex(8)}/{filename}"


class ExportFile(models.Model):
    """A spreadsheet written by a task worker for the person who asked for it, offered for download when ready.

    Generic: `source` names what is exported and `parameters` how to rebuild its rows (an admin export keeps
    the list's filters and the chosen columns), so any big export, not only the admin's, can be written off
    the request (programme.export_files). Files expire after EXPORT_FILES_KEEP_DAYS days."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        WRITING = "writing", "Being written"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="export_files")
    title = models.CharField(max_length=200, help_text='What the file holds, e.g. "Activities".')
    source = models.CharField(max_length=100, help_text='What writes the rows, e.g. "admin:pairs.activity".')
    parameters = models.JSONField(default=dict, blank=True)
    file_format = models.CharField(max_length=8)
    filename = models.CharField(max_length=200, help_text="The name the file is downloaded under.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_path, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"], name="export_file_by_age")]
        verbose_name = "exported file"

    def __str__(self) -> str:
        return f"{self.title} ({self.file_format}), {self.get_status_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("exports:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_written * 100 // self.rows_total)
