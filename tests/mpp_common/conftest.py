# The shared helpers are tried on the queueing app's tables, with its service fixture.
from tests.queueing.conftest import ktp, tomorrow  # noqa: F401 - fixtures
