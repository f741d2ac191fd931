from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from programme.shape import register_usage

        from .models import Application, Cohort, Event, Membership
        from .models.cohort import remember_cohort_programme

        post_save.connect(remember_cohort_programme, sender=Cohort, dispatch_uid="cohort_programme_remembered")

        # A programme's side or event kind cannot be removed while a record of one of its cohorts uses it.
        register_usage(
            "side",
            lambda programme_id, code: (
                Membership.objects.filter(cohort__programme_id=programme_id, side=code).exists()
                or Application.objects.filter(cohort__programme_id=programme_id, side=code).exists()
            ),
        )
        register_usage(
            "sector",
            lambda programme_id, code: Application.objects.filter(
                cohort__programme_id=programme_id, sector=code
            ).exists(),
        )
        register_usage(
            "eventkind",
            lambda programme_id, code: Event.objects.filter(cohort__programme_id=programme_id, kind=code).exists(),
        )
