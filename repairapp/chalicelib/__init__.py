"""RepairApp's code outside ``app.py``: routes, services, the SmartRe client, settings."""

__version__ = "0.1.0"
