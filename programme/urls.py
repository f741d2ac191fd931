from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard import views as dashboard_views
from programme import account_views, health, views

urlpatterns = [
    path("", dashboard_views.site_home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.profile, name="account-profile"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/welcome/<uidb64>/<token>/",
        account_views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("", include("dashboard.urls")),
    path("", include("pairs.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("outputs/", include("outputs.urls")),
    path("outputs/", include("reports.urls")),
    path("library/", include("outputs.library_urls")),
    path("privacy/", include("privacy.urls")),
    path("exports/", include("programme.export_urls")),
]
