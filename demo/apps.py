from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (manage.py load_demo): content in demo/data/, written through the apps' services."""

    name = "demo"
