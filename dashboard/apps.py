from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The member's dashboard and the site's home page: no models, it gathers from every app below."""

    name = "dashboard"

    def ready(self) -> None:
        from programme import navigation

        # Lower apps (a survey answered, say) send members back to their dashboard.
        navigation.register_destination(navigation.MEMBER_HOME, "dashboard:home")
