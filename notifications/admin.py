"""The outbox in the admin: what was sent, what waits or failed, and whose address refuses mail."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Notification, NotificationPreference, OutboundMessage, PersonRefusingMail
from .services import address_refusal_clear, message_retry


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the jobs that send them. A manager may send one again."""

    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "key", "recipient__full_name"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [
        "key",
        "kind",
        "recipient",
        "to",
        "subject",
        "body",
        "body_html",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "last_attempt_at",
        "sent_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboundMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboundMessage | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outboundmessage")

    @admin.action(description="Send the selected messages again now", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        retried = 0
        for message in queryset:
            try:
                message_retry(message=message)
            except ValidationError as error:
                self.message_user(request, f"{message}: {' '.join(error.messages)}", messages.WARNING)
            else:
                retried += 1
        if retried:
            self.message_user(request, f"{retried} message(s) queued to send again.", messages.SUCCESS)


@admin.register(PersonRefusingMail)
class PersonRefusingMailAdmin(admin.ModelAdmin):
    """People whose mail server refused their address for good: nothing is sent to them until cleared."""

    list_display = ["full_name", "email", "email_refused_at", "email_refused_reason"]
    search_fields = ["full_name", "email"]
    fields = ["full_name", "email", "email_refused_at", "email_refused_reason"]
    readonly_fields = ["full_name", "email", "email_refused_at", "email_refused_reason"]
    actions = ["clear_refusal"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PersonRefusingMail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PersonRefusingMail | None = None) -> bool:
        return False

    def has_clear_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("programme.change_user")

    @admin.action(description="Send mail to these addresses again", permissions=["clear"])
    def clear_refusal(self, request: HttpRequest, queryset: QuerySet[PersonRefusingMail]) -> None:
        for person in queryset:
            address_refusal_clear(user=person)
        self.message_user(
            request,
            f"{len(queryset)} address(es) will be sent mail again. Messages already refused stay refused; "
            "send one again from the outbox.",
            messages.SUCCESS,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are raised by the services of the apps; people mark them read themselves."""

    list_display = ["created_at", "recipient", "kind", "text", "delivery", "read_at", "emailed_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["recipient__full_name", "recipient__email", "text"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "kind",
        "key",
        "text",
        "url",
        "delivery",
        "batch",
        "created_at",
        "read_at",
        "emailed_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Read-only: each person sets their own email choices on their Email choices page."""

    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "delivery"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: NotificationPreference | None = None) -> bool:
        return False
