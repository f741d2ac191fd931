from django.apps import AppConfig


class OutputsConfig(AppConfig):
    name = "outputs"

    def ready(self) -> None:
        from cohorts.models import Cohort, Membership, Question
        from pairs.models import LearningPair, PairMember
        from programme import navigation
        from programme.models import Organisation, Programme, User

        from .library_cache import watch
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
        # The public library's kept pages show these rows: any change to them renders the library afresh.
        watch(Output, LearningPair, PairMember, Membership, Cohort, Programme, Question, User, Organisation)
