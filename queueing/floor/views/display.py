"""The display board for a 1080p TV: the latest calls, a chime and the spoken call,
waiting counts and the running text. The page renders its frame; its script reads
``/api/v1/display/`` and listens to the live event stream."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_permissions_policy.decorators import permissions_policy_override

from agencies.models import Agency
from mpp_common.params import parse_id

# What the board's script shows. The spoken call stays in Indonesian: the board speaks
# with an Indonesian voice whatever language the page is shown in.
BOARD_TEXT = {
    "counter": gettext_lazy("Loket {counter}"),
    "no_call": gettext_lazy("Belum ada panggilan"),
    "waiting": gettext_lazy("menunggu"),
    "lost": gettext_lazy("Koneksi terputus — menyambung ulang…"),
    "back": gettext_lazy("Tersambung kembali. Panggilan selama terputus sudah dimuat."),
    "welcome": gettext_lazy("Selamat datang di Mal Pelayanan Publik Kota Tangerang Selatan."),
}


SPOKEN_CALL = "Nomor antrean {number}, silakan ke loket {counter}"


# The portal's policy, except that the board may sound its chime and speak a call
# without a fresh tap once its sound has been switched on.
@permissions_policy_override(settings.PERMISSIONS_POLICY | {"autoplay": ["self"]})
@require_GET
def board(request):
    """The display board for the whole mall, or for one agency with ``?agency=<id>``."""
    try:
        agency_id = parse_id(request.GET.get("agency"))
    except ValueError:
        message = _("Parameter agency harus berupa angka.")
        return render(request, "display/error.html", {"message": message}, status=400)
    agency = None
    if agency_id is not None:
        agency = Agency.objects.active().filter(pk=agency_id).first()
        if agency is None:
            message = _("Instansi ini tidak ada atau tidak aktif.")
            return render(request, "display/error.html", {"message": message}, status=404)
    agencies = Agency.objects.active().order_by("name")
    return render(
        request,
        "display/board.html",
        {
            "agency": agency,
            "config": {
                "agency": agency.pk if agency else None,
                "prefixes": {str(pk): prefix for pk, prefix in agencies.values_list("pk", "ticket_prefix")},
                "text": BOARD_TEXT,
                "spoken": SPOKEN_CALL,
            },
        },
    )
