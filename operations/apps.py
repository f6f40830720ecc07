from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: backups and restores (`manage.py backup`, `manage.py restore`).
    No models; it uses no other app, reading the database and the storage as they are."""

    name = "operations"
    verbose_name = "Operations"
