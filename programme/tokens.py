"""The one-time link in an invitation email: it sets a first password and expires after 14 days.

Like a password-reset link it is bound to the account's password and last sign-in, so it stops working
once used; unlike one, it has its own lifetime and salt, so neither link opens the other's page.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

INVITATION_VALID_FOR = timedelta(days=14)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "pairwise.programme.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - timestamp) <= INVITATION_VALID_FOR.total_seconds()


invitation_token_generator = InvitationTokenGenerator()
