"""Queries per admin listing and portal page with 10 and with 100 organisations (must be equal).

Run: .venv/bin/python benchmarks/organisations.py  (it runs the measuring test and prints its table)
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.exit(
        pytest.main(
            [
                str(ROOT / "tests/hub/test_tenancy_queries.py"),
                "-q",
                "-s",
                "-p",
                "no:cacheprovider",
                "--rootdir",
                str(ROOT),
            ]
        )
    )
