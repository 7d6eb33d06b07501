"""Complaints and suggestions (pengaduan): what a citizen reports, the agency's answers,
and the deadline of the first answer."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Role
from queueing.models.shared import CODE_LENGTH, Language, format_code, new_code
from queueing.models.tickets import Ticket
from services.models import Service

COMPLAINT_TEXT_MAX = 4000
COMPLAINT_ANSWER_MAX = 4000


class ComplaintStatus(models.TextChoices):
    NEW = "baru", _("Baru")
    IN_PROGRESS = "diproses", _("Diproses")
    ANSWERED = "dijawab", _("Dijawab")
    CLOSED = "selesai", _("Selesai")


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every complaint for DPMPTSP administrators (those with no agency too, to be
        routed); their own agency's for its supervisor; none for anyone else."""
        if not user.is_active:
            return self.none()
        if user.is_mall_admin:
            return self
        if user.role != Role.SUPERVISOR or user.staff_agency_id is None:
            return self.none()
        return self.filter(agency_id=user.staff_agency_id)

    def awaiting_response(self):
        """Not answered yet: the first answer's deadline runs."""
        return self.filter(responded_at__isnull=True)

    def overdue(self, today):
        """No answer yet, and the deadline (a day) has passed."""
        return self.awaiting_response().filter(respond_by__lt=today)

    def in_office_order(self, today):
        """Overdue first (oldest deadline first), then the others awaiting an answer by
        deadline, then the answered ones, newest first; each with ``is_overdue``."""
        return self.annotate(
            is_overdue=Case(
                When(responded_at__isnull=True, respond_by__lt=today, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            awaiting=Case(
                When(responded_at__isnull=True, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        ).order_by("-is_overdue", "-awaiting", "respond_by", "-created_at", "-pk")


class Complaint(models.Model):
    """A complaint or suggestion from a citizen, anonymous or with a contact, about an
    agency, a service or a visit (ticket), or about the mall (no agency: DPMPTSP routes
    it). Whoever holds its code follows it; the first answer is due by ``respond_by``
    (working days, ``queueing.office.complaints``)."""

    code = models.CharField(_("kode pengaduan"), max_length=CODE_LENGTH, default=new_code, editable=False)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("instansi"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        # Service.complaints is the published standard's text about complaints.
        related_name="complaint_records",
        verbose_name=_("layanan"),
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("tiket"),
    )
    text = models.TextField(_("isi pengaduan"), max_length=COMPLAINT_TEXT_MAX)
    # The contact, all optional; kept only with the citizen's consent (``consent_at``).
    name = models.CharField(_("nama"), max_length=100, blank=True)
    phone = models.CharField(_("nomor ponsel"), max_length=16, blank=True)
    email = models.EmailField(_("email"), blank=True)
    consent_at = models.DateTimeField(_("persetujuan pemrosesan data"), null=True, blank=True)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.ID)

    status = models.CharField(_("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW)
    created_at = models.DateTimeField(_("diterima"))
    respond_by = models.DateField(_("batas tanggapan pertama"))
    responded_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The last day the agency's supervisor and DPMPTSP were told it is overdue.
    overdue_notified_on = models.DateField(_("diingatkan terlambat"), null=True, blank=True)
    # When its personal data (contact, text, answers) was erased by the retention rule.
    erased_at = models.DateTimeField(_("data pribadi dihapus"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["code"], name="complaint_code_unique")]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="complaint_agency_idx"),
            # The daily check of overdue complaints reads only those awaiting an answer.
            models.Index(fields=["respond_by"], condition=Q(responded_at__isnull=True), name="complaint_awaiting_idx"),
        ]

    def __str__(self) -> str:
        return format_code(self.code)

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def has_contact(self) -> bool:
        return bool(self.name or self.phone or self.email)


class ComplaintActKind(models.TextChoices):
    FILED = "filed", _("Diterima")
    ROUTED = "routed", _("Diteruskan ke instansi")
    ANSWERED = "answered", _("Ditanggapi")


class ComplaintAct(models.Model):
    """A row of a complaint's history: filed, routed to an agency, answered (with the
    answer the citizen reads and the status it set); who acted and when. The staff
    member's name is kept as it was."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="acts", verbose_name=_("pengaduan"))
    kind = models.CharField(_("tindakan"), max_length=16, choices=ComplaintActKind.choices)
    from_status = models.CharField(_("status semula"), max_length=16, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(_("status baru"), max_length=16, choices=ComplaintStatus.choices)
    answer = models.TextField(_("tanggapan"), blank=True, max_length=COMPLAINT_ANSWER_MAX)
    from_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("instansi semula")
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("instansi tujuan")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    staff_name = models.CharField(_("nama petugas"), max_length=150, blank=True)
    at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.staff_name}"
