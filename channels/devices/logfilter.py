"""Keeps device tokens out of the logs: request lines may carry `?token=`."""

import logging
import re

TOKEN_PATTERN = re.compile(r"((?:^|[?&;])token=)[^&\s\"']*", re.IGNORECASE)
REDACTED = r"\1[redacted]"
# Loggers that print request lines or paths with their query strings.
REQUEST_LOGGERS = (
    "django.request",
    "django.server",
    "django.security.csrf",
    "gunicorn.access",
    "gunicorn.error",
)


def redact(value):
    if isinstance(value, str) and "token=" in value.lower():
        return TOKEN_PATTERN.sub(REDACTED, value)
    return value


class RedactTokenFilter(logging.Filter):
    """Rewrites `token=<secret>` in a record's message and arguments (tuple or dict)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            for key, value in list(record.args.items()):  # in place: gunicorn's atoms are a dict subclass
                record.args[key] = redact(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(value) for value in record.args)
        return True


def install() -> None:
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(type(f).__name__ == "RedactTokenFilter" for f in logger.filters):
            logger.addFilter(RedactTokenFilter())
