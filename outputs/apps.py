from django.apps import AppConfig


class OutputsConfig(AppConfig):
    name = "outputs"

    def ready(self) -> None:
        from programme import navigation

        from .models import Output

        # The cohort overview (pairs) counts each pair's outputs by status.
        navigation.register_tally(
            navigation.PAIR_OUTPUTS, navigation.Tally(relation="outputs", field="status", choices=Output.Status.choices)
        )
