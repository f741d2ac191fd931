from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = "Programmes and people"

    def ready(self) -> None:
        from . import shape, signals
        from .models import Organisation

        signals.connect()
        # An organisation's sector is in use whoever's programme it was chosen under: organisations are shared.
        shape.register_usage("sector", lambda programme_id, code: Organisation.objects.filter(sector=code).exists())
