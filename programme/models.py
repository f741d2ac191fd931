"""Programme-wide models: organisations, people, programmes and the disconnects they study."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from . import rules


class Sector(models.TextChoices):
    CENTRAL_GOVERNMENT = "central_government", "Central government department"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:programme_programme_change", args=[self.pk])


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
