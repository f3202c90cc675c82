"""SmartRe's code outside ``app.py``: routes, workflow tasks, services, ML inference, settings."""

__version__ = "0.1.0"
