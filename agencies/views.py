"""The signed MoU documents, for the staff who may read them.

``MEDIA_ROOT`` is served by no URL: a document is read here, by DPMPTSP's
administrators and the agency's own supervisor (``User.can_manage_agency``); anyone
else signed in gets 403, an anonymous caller the staff login. The portal streams the
file itself, or, behind a reverse proxy (``MEDIA_INTERNAL_LOCATION``), answers with
``X-Accel-Redirect`` and lets the proxy send it from its internal location.
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from agencies.models import Agreement

PDF = "application/pdf"


def download_name(agreement: Agreement) -> str:
    """``MoU-disdukcapil-MoU-1-2021.pdf``: what the browser saves the document as."""
    number = re.sub(r"[^\w.-]+", "-", agreement.number, flags=re.ASCII).strip("-.")
    return f"MoU-{agreement.agency.code}-{number or agreement.pk}.pdf"


@require_safe
@login_required(login_url=settings.LOGIN_URL)
def agreement_document(request, pk: int):
    agreement = get_object_or_404(Agreement.objects.select_related("agency"), pk=pk)
    # Administrators manage every agency, a supervisor their own; officers, the help
    # desk and kiosks none.
    if not request.user.can_manage_agency(agreement.agency_id):
        raise PermissionDenied
    if not agreement.document:
        raise Http404
    disposition = content_disposition_header(as_attachment=False, filename=download_name(agreement))
    if settings.MEDIA_INTERNAL_LOCATION:
        response = HttpResponse(content_type=PDF)
        response["X-Accel-Redirect"] = settings.MEDIA_INTERNAL_LOCATION + quote(agreement.document.name)
    else:
        try:
            response = FileResponse(agreement.document.open("rb"), content_type=PDF)
        except FileNotFoundError:
            raise Http404 from None
    response["Content-Disposition"] = disposition
    # A confidential document: no shared cache keeps it, nor the browser once closed.
    patch_cache_control(response, private=True, no_store=True)
    return response
