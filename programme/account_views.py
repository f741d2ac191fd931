"""A person's own account: profile, password change and password reset by email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from .forms import PasswordResetForm, ProfileForm
from .models import User
from .services import user_profile_update
from .tokens import invitation_token_generator
from .typing import AuthenticatedHttpRequest

PROFILE_SAVED = "Your profile has been saved."
PASSWORD_CHANGED = "Your password has been changed."  # noqa: S105 - a message, not a secret
RESET_SENT = (
    "If that address belongs to an account, we have emailed it a link to choose a new password. "
    "The link works once, for a few days."
)
RESET_DONE = "Your new password is set. Sign in with it."
INVITATION_DONE = "Your password is set. Sign in with your email address and the password you chose."


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Edit one's own profile."""
    # A fresh copy, so a rejected form never leaves half-edited values on request.user.
    user = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(user=user, **form.cleaned_data)
        messages.success(request, PROFILE_SAVED)
        return redirect("account-profile")
    return render(request, "programme/profile.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account-profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.info(self.request, RESET_SENT)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, RESET_DONE)
        return response


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The link in an invitation email: choose a first password. An expired or used link explains itself
    and offers a fresh one by email."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("login")
    reset_url_token = "set-password"  # noqa: S105 - the placeholder in the address, not a secret

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, INVITATION_DONE)
        return response
