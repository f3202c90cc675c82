"""Shared building blocks of RepairApp and SmartRe: AWS adapters, errors, settings, vocabulary.

Vendored into each Chalice app's ``vendor/`` by ``make vendor`` so both Lambda packages carry the
same code; never edit the vendored copies.
"""

__version__ = "0.1.0"
