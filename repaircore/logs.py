"""Logging for both apps: the level from ``LOG_LEVEL``, ids in messages, never personal data.

The Lambda runtime installs a handler on the root logger and leaves it at WARNING, which would
drop every ``logger.info`` of the services; ``chalice local`` installs none.
"""

from __future__ import annotations

import logging
import os

_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


def configure_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(levelname)s %(name)s %(message)s")
    root.setLevel(level if level in _LEVELS else "INFO")
    # botocore at INFO narrates every credential lookup; keep it to warnings.
    logging.getLogger("botocore").setLevel(logging.WARNING)
