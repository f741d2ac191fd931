from django.apps import AppConfig


class OutputsConfig(AppConfig):
    name = "outputs"

    def ready(self) -> None:
        from programme import navigation

        from .models import Output

        # A pair's workspace (pairs) links to the pair's outputs.
        navigation.register_link(
            navigation.PAIR_WORKSPACE_LINKS,
            navigation.Link("Our outputs", "outputs:pair-list", args=lambda context: [context["pair"].pk]),
        )
        # The cohort overview (pairs) counts each pair's outputs by status.
        navigation.register_tally(
            navigation.PAIR_OUTPUTS, navigation.Tally(relation="outputs", field="status", choices=Output.Status.choices)
        )
