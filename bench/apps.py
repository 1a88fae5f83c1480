from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Load data and benchmark (ADR 0080): development only. Production settings do not install
    this app and the Docker image leaves bench/ out; bench/settings.py and the test settings
    install it."""

    name = "bench"
    verbose_name = "Benchmark (development only)"
