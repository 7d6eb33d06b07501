"""How the API's lists are paged."""

from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """``?limit=&offset=`` as DRF reads them, with a largest page: a limit beyond it is
    cut to it, so ``?limit=99999999999999999999`` never reaches the database, whose
    ``LIMIT`` is a 64-bit integer. (An offset past the end is an empty page: DRF
    compares it with the count before it slices.)"""

    max_limit = 1000
