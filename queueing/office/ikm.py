"""The IKM publication for the office: who may ask for which agency, and the figures
as the API, the CSV and the spreadsheet give them (one layout for all three, so a
file holds exactly what the page shows).

Administrators ask for any agency or all of them; an agency's staff get their own
agency, and asking for another agency or another agency's service is refused (403),
never answered with their own figures in its place."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from queueing.surveys.filters import IkmFilterForm
from queueing.surveys.ikm import ELEMENT_CODES
from queueing.surveys.publication import Publication, ikm_publication

OTHER_AGENCY = _("Anda hanya dapat melihat IKM instansi Anda sendiri.")


def scoped(user, form: IkmFilterForm) -> tuple[int | None, int | None]:
    """The agency and service ids of a valid form, within what ``user`` may see;
    ``PermissionDenied`` for another agency's."""
    agency, service = form.cleaned_data.get("agency"), form.cleaned_data.get("service")
    if user.is_mall_admin:
        return (agency.pk if agency else None), (service.pk if service else None)
    own = user.staff_agency_id
    if (agency and agency.pk != own) or (service and service.agency_id != own):
        raise PermissionDenied(OTHER_AGENCY)
    return own, (service.pk if service else None)


def publication_for(user, form: IkmFilterForm, **kwargs) -> Publication:
    agency_id, service_id = scoped(user, form)
    chosen = form.chosen
    return ikm_publication(
        agency_id=agency_id,
        service_id=service_id,
        first=chosen.first if chosen else None,
        last=chosen.last if chosen else None,
        **kwargs,
    )


def report_data(form: IkmFilterForm, publication: Publication) -> dict:
    """The figures of the whole selection at the top (the contract's ``respondents,
    nrr, ikm, skm, grade``), then per agency, per service, the period and the
    suggestions."""
    chosen = form.chosen
    return publication.total.as_dict() | {
        "elements": list(ELEMENT_CODES),
        "period": None
        if chosen is None
        else {
            "kind": chosen.kind,
            "code": chosen.code,
            "label": chosen.label,
            "date_from": chosen.first,
            "date_to": chosen.last,
        },
        "agencies": [
            {"agency": row.agency.pk, "agency_code": row.agency.code, "agency_name": row.agency.localized.name}
            | row.ikm.as_dict()
            for row in publication.agencies
        ],
        "services": [
            {
                "agency": row.agency.pk,
                "agency_code": row.agency.code,
                "service": row.service.pk,
                "service_name": row.service.localized.name,
            }
            | row.ikm.as_dict()
            for row in publication.services
        ],
        "comment_count": publication.comment_count,
        "comments": [
            {
                "date": comment.day,
                "agency": comment.agency.pk,
                "service": comment.service.pk,
                "service_name": comment.service.localized.name,
                "comment": comment.text,
            }
            for comment in publication.comments
        ],
    }
