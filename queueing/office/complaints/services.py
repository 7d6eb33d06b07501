"""Complaints and suggestions (pengaduan): filing, routing to an agency, the agency's
answers, the daily word about complaints past their deadline, and erasing personal
data after the retention period.

The first answer is due within ``COMPLAINT_RESPONSE_DAYS`` working days of the day the
complaint came in (3 by default, as SP4N-LAPOR! asks): Monday to Friday, the mall's
closure days left out (``services.schedule.working_days_after``). A complaint without
an answer after that day is overdue: the office's list shows it first and flagged, and
each morning the agency's supervisor and DPMPTSP's administrators get one email naming
the complaints that are overdue, each complaint at most once a day.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, User
from mpp_common.clock import local
from queueing.bookings.validators import clean_mobile, clean_person_name
from queueing.errors import QueueError
from queueing.models import (
    Complaint,
    ComplaintAct,
    ComplaintActKind,
    ComplaintStatus,
    Language,
    Ticket,
    normalize_code,
)
from queueing.notifications.complaints import notify_complaint_answered, notify_complaints_overdue
from services.models import Service
from services.schedule import working_days_after

# The statuses an answer may set: a complaint never goes back to "new".
ANSWER_STATUSES = (ComplaintStatus.IN_PROGRESS, ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)

UNKNOWN_TICKET = _("Tiket tidak ditemukan. Periksa kode pada struk atau di alamat halaman antrean Anda.")
TICKET_ELSEWHERE = _("Tiket ini bukan kunjungan ke instansi atau layanan yang dipilih.")
SERVICE_ELSEWHERE = _("Layanan ini bukan layanan instansi yang dipilih.")
CONSENT_NEEDED = _("Centang persetujuan bila Anda mengisi nama, nomor ponsel atau email, atau kosongkan isian itu.")
TEXT_NEEDED = _("Tulis pengaduan atau saran Anda.")


def complaint_respond_by(filed_at: dt.datetime) -> dt.date:
    """The day the first answer is due for a complaint filed at ``filed_at``."""
    return working_days_after(local(filed_at).date(), settings.COMPLAINT_RESPONSE_DAYS)


def ticket_agency_ids(ticket: Ticket) -> set[int]:
    """The agencies a visit went to: where its number was taken, and each agency of a
    service it was transferred to."""
    return {ticket.agency_id, *ticket.requests.values_list("service__agency_id", flat=True)}


def _ticket_service(ticket: Ticket, agency_id: int) -> Service | None:
    """The visit's last service at that agency."""
    request = ticket.requests.filter(service__agency_id=agency_id).select_related("service").order_by("-pk").first()
    return request.service if request else None


def _contact(*, name: str, phone: str, email: str) -> tuple[str, str, str]:
    """The contact as stored: a name as people write it, the phone in E.164 (each
    checked again here, whoever called), the email as given."""
    try:
        name = clean_person_name(name) if name.strip() else ""
    except ValidationError as error:
        raise QueueError(error.code or "name_invalid", error.messages[0], field="name") from None
    try:
        phone = clean_mobile(phone) if phone.strip() else ""
    except ValidationError as error:
        raise QueueError(error.code or "phone_invalid", error.messages[0], field="phone") from None
    return name, phone, email.strip()


def complaint_file(
    *,
    text: str,
    agency: Agency | None = None,
    service: Service | None = None,
    ticket_code: str = "",
    name: str = "",
    phone: str = "",
    email: str = "",
    consent: bool = False,
    language: str = Language.ID,
    now: dt.datetime | None = None,
) -> Complaint:
    """Record a citizen's complaint and its deadline. The agency follows from the
    service or the visit when not given; a visit (ticket) must have gone to the agency
    and service named. A contact (name, phone, email) is kept only with ``consent``."""
    text = text.strip()
    if not text:
        raise QueueError("text_required", TEXT_NEEDED, field="text")
    if service is not None and agency is not None and service.agency_id != agency.pk:
        raise QueueError("service_elsewhere", SERVICE_ELSEWHERE, field="service")
    agency_id = agency.pk if agency is not None else (service.agency_id if service is not None else None)
    ticket = None
    if ticket_code.strip():
        ticket = Ticket.objects.select_related("service").filter(code=normalize_code(ticket_code)).first()
        if ticket is None:
            raise QueueError("unknown_ticket", UNKNOWN_TICKET, field="ticket")
        if agency_id is not None and agency_id not in ticket_agency_ids(ticket):
            raise QueueError("ticket_elsewhere", TICKET_ELSEWHERE, field="ticket")
        if agency_id is None:
            agency_id = ticket.service.agency_id
        if service is None:
            service = _ticket_service(ticket, agency_id)
    name, phone, email = _contact(name=name, phone=phone, email=email)
    if (name or phone or email) and not consent:
        raise QueueError("consent_required", CONSENT_NEEDED, field="consent")
    now = now or timezone.now()
    with transaction.atomic():
        complaint = Complaint.objects.create(
            agency_id=agency_id,
            service=service,
            ticket=ticket,
            text=text,
            name=name,
            phone=phone,
            email=email,
            consent_at=now if (name or phone or email) else None,
            language=language if language in Language.values else Language.ID,
            created_at=now,
            respond_by=complaint_respond_by(now),
        )
        ComplaintAct.objects.create(
            complaint=complaint, kind=ComplaintActKind.FILED, to_status=complaint.status, at=now
        )
    return complaint


# The office's acts


def can_handle(user: User, complaint: Complaint) -> bool:
    """DPMPTSP's administrators handle every complaint; an agency's supervisor their
    agency's (``User.can_manage_agency``)."""
    return user.can_manage_agency(complaint.agency_id)


NOT_YOURS = _("Pengaduan ini ditangani instansi lain.")


def _staff_name(staff: User) -> str:
    return staff.get_full_name() or staff.username


def _locked(complaint: Complaint, staff: User) -> Complaint:
    """The complaint's row, locked for the act: two staff members acting at once act
    one after the other, each on the state the other left. The scope is checked on the
    locked row (a routing may just have moved it)."""
    locked = Complaint.objects.select_for_update(of=("self",)).select_related("agency").get(pk=complaint.pk)
    if not can_handle(staff, locked):
        raise QueueError("not_your_agency", NOT_YOURS, forbidden=True)
    return locked


def complaint_answer(
    *, staff: User, complaint: Complaint, answer: str, status: str, now: dt.datetime | None = None
) -> ComplaintAct:
    """The agency's answer, which the citizen reads on the complaint's page and, with a
    contact and consent, gets by SMS and email. The first answer stops the deadline."""
    answer = answer.strip()
    if not answer:
        raise QueueError("answer_required", _("Tulis tanggapan untuk warga."), field="answer")
    if status not in ANSWER_STATUSES:
        raise QueueError("status", _("Pilih status dari daftar."), field="status")
    with transaction.atomic():
        locked = _locked(complaint, staff)
        # The time once the row is ours: answers at once are recorded in the order
        # they were made, and the first sets the first answer's time.
        now = now or timezone.now()
        if locked.erased_at is not None:
            raise QueueError("erased", _("Data pengaduan ini sudah dihapus sesuai masa simpan."))
        act = ComplaintAct.objects.create(
            complaint=locked,
            kind=ComplaintActKind.ANSWERED,
            from_status=locked.status,
            to_status=status,
            answer=answer,
            staff=staff,
            staff_name=_staff_name(staff),
            at=now,
        )
        locked.status = status
        locked.responded_at = locked.responded_at or now
        locked.closed_at = now if status == ComplaintStatus.CLOSED else None
        locked.save(update_fields=["status", "responded_at", "closed_at"])
        notify_complaint_answered(locked, act, now=now)
    return act


def complaint_route(
    *, staff: User, complaint: Complaint, agency: Agency, service: Service | None = None, now: dt.datetime | None = None
) -> ComplaintAct:
    """DPMPTSP hands a complaint to the agency (and service) it concerns. The deadline
    stays the one the citizen was given."""
    if not (staff.is_active and staff.is_mall_admin):
        raise QueueError("not_admin", _("Hanya administrator DPMPTSP yang meneruskan pengaduan."), forbidden=True)
    if service is not None and service.agency_id != agency.pk:
        raise QueueError("service_elsewhere", SERVICE_ELSEWHERE, field="service")
    with transaction.atomic():
        locked = _locked(complaint, staff)
        now = now or timezone.now()
        act = ComplaintAct.objects.create(
            complaint=locked,
            kind=ComplaintActKind.ROUTED,
            from_status=locked.status,
            to_status=locked.status,
            from_agency_id=locked.agency_id,
            to_agency=agency,
            staff=staff,
            staff_name=_staff_name(staff),
            at=now,
        )
        locked.agency, locked.service = agency, service
        locked.save(update_fields=["agency", "service"])
    return act


# The daily word about overdue complaints


def _overdue_recipients(complaints: list[Complaint]) -> dict[int, tuple[User, list[Complaint]]]:
    """Each staff member to tell, with the complaints they are told of: DPMPTSP's
    administrators every one, an agency's supervisors their agency's. Only active
    accounts with an email address."""
    admins, supervisors = User.objects.office_staff_to_tell({c.agency_id for c in complaints if c.agency_id})
    told: dict[int, tuple[User, list[Complaint]]] = {admin.pk: (admin, list(complaints)) for admin in admins}
    for supervisor in sorted((user for users in supervisors.values() for user in users), key=lambda user: user.pk):
        told.setdefault(supervisor.pk, (supervisor, [c for c in complaints if c.agency_id == supervisor.agency_id]))
    return told


def complaints_notify_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell the agencies' supervisors and DPMPTSP's administrators of the complaints
    past their deadline that nobody was told of today; answers how many complaints.

    The complaints are claimed by marking the day on them, under their row locks (a
    run that finds them locked skips them): however often it runs, a complaint is in
    at most one message per person a day."""
    now = now or timezone.now()
    today = local(now).date()
    with transaction.atomic():
        claimed = list(
            Complaint.objects.overdue(today)
            .filter(Q(overdue_notified_on__isnull=True) | Q(overdue_notified_on__lt=today))
            .select_for_update(skip_locked=True)
            .order_by("respond_by", "pk")
        )
        if not claimed:
            return 0
        Complaint.objects.filter(pk__in=[c.pk for c in claimed]).update(overdue_notified_on=today)
        first = claimed[0].pk
        for person, complaints in _overdue_recipients(claimed).values():
            notify_complaints_overdue(
                email=person.email,
                complaints=complaints,
                key=f"complaints_overdue:{today.isoformat()}:{person.pk}:{first}",
                now=now,
                agency_id=None if person.is_mall_admin else person.agency_id,
            )
    return len(claimed)


# Retention


def complaints_erase_personal_data(before: dt.datetime) -> int:
    """Blank the personal data of the complaints filed before ``before``: the contact,
    the text and the agency's answers (which may quote it). Status, dates, agency,
    service and the history's who and when stay, for the reports. Answers how many
    complaints were erased (each once)."""
    now = timezone.now()
    with transaction.atomic():
        due = Complaint.objects.filter(created_at__lt=before, erased_at__isnull=True)
        ComplaintAct.objects.filter(complaint__in=due.values("pk")).exclude(answer="").update(answer="")
        return due.update(name="", phone="", email="", text="", erased_at=now)
