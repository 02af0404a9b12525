"""Production logs are one JSON object a line; development logs are readable text. No secrets."""

import json
import logging
import logging.config
import os
import subprocess
import sys

from hub.logformat import JsonFormatter


def test_a_pipeline_event_is_one_json_line_with_its_fields():
    record = logging.LogRecord(
        "publishing.delivery", logging.INFO, __file__, 1, "%s %s", ("claim", "x"), None
    )
    record.fields = {"event": "claim", "delivery_id": 7, "channel": "facebook", "outcome": "claimed"}

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["event"] == "claim" and entry["delivery_id"] == 7 and entry["channel"] == "facebook"
    assert (
        entry["outcome"] == "claimed"
        and entry["level"] == "INFO"
        and entry["logger"] == "publishing.delivery"
    )


def test_production_settings_log_json_and_development_text():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "hub.example",
        "BASE_URL": "https://hub.example",
    }
    script = (
        "import django, logging; django.setup();"
        "logging.getLogger('publishing.delivery').warning('orphan delivery_id=1',"
        " extra={'fields': {'event': 'orphan', 'delivery_id': 1, 'channel': 'x', 'outcome': 'found'}})"
    )
    production = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "hub.settings.production"},
        capture_output=True,
        text=True,
        check=True,
    )
    development = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "hub.settings.dev"},
        capture_output=True,
        text=True,
        check=True,
    )

    entry = json.loads(production.stderr.strip().splitlines()[-1])
    assert (entry["event"], entry["delivery_id"], entry["outcome"]) == ("orphan", 1, "found")
    assert "WARNING publishing.delivery: orphan delivery_id=1" in development.stderr
