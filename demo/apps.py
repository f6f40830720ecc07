from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark content, and the commands that load it. No models."""

    name = "demo"
