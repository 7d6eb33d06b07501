"""Settings for benchmark runs: production settings plus the floor endpoints."""

from mpp_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
