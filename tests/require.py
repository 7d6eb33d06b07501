"""Skip a test for a missing service or browser, unless REQUIRE_SERVICES=1 says it
must run (CI), in which case the absence is a failure."""

import os

import pytest


def missing(what: str) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")
