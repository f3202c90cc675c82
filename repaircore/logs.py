"""Logging for both apps: the level from ``LOG_LEVEL``, ids in messages, never personal data.

The Lambda runtime installs a handler on the root logger and leaves it at WARNING, which would
drop every ``logger.info`` of the services; ``chalice local`` installs none. Every record carries
the request's correlation id (``repaircore.correlation``); on Lambda each line is one JSON object
(level, logger, message, correlationId), which CloudWatch Logs Insights reads as fields.
"""

from __future__ import annotations

import json
import logging
import os

from repaircore.correlation import current_correlation_id


class _CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = current_correlation_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlationId": getattr(record, "correlation_id", None),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


def configure_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(levelname)s %(name)s [%(correlation_id)s] %(message)s")
    for handler in root.handlers:
        if not any(isinstance(f, _CorrelationFilter) for f in handler.filters):
            handler.addFilter(_CorrelationFilter())
        if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
            handler.setFormatter(JsonFormatter())
    root.setLevel(level if level in _LEVELS else "INFO")
    # botocore at INFO narrates every credential lookup; keep it to warnings.
    logging.getLogger("botocore").setLevel(logging.WARNING)
