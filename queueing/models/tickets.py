"""The queue floor: tickets (visits), their service requests and history, the board's running text."""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Counter
from queueing.models.bookings import Booking
from queueing.models.shared import CODE_LENGTH, Language, PriorityGroup, new_code
from services.models import Service


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu")
    CALLED = "called", _("Dipanggil")
    SERVING = "serving", _("Sedang dilayani")
    ON_HOLD = "on_hold", _("Ditunda")
    DONE = "done", _("Selesai")
    NO_SHOW = "no_show", _("Tidak hadir")
    EXPIRED = "expired", _("Kedaluwarsa")


OPEN_TICKET = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.ON_HOLD)
# A ticket in one of these states is at its counter; a counter has at most one.
AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)


class DailySequence(models.Model):
    """The last ticket number an agency issued on a day. Issuing a number locks this
    row, so numbers come without gaps; a unique constraint on tickets backs it."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="daily_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}@{self.date}: {self.last_number}"


# The queue order (queueing.floor.queue_order explains the rule): the columns "call
# next" orders by, and ``TicketQuerySet.ahead_of`` is the same order as a filter.
QUEUE_ORDER = ("-priority", "queue_time", "id")


class TicketQuerySet(models.QuerySet):
    def waiting_for(self, service_ids, day):
        """Tickets waiting for any of these services today, in queue order."""
        return self.filter(date=day, status=TicketStatus.WAITING, service_id__in=service_ids).order_by(*QUEUE_ORDER)

    def ahead_of(self, ticket: "Ticket"):
        """Tickets waiting on the ticket's day that the queue order puts before it."""
        before = (
            Q(priority__gt=ticket.priority)
            | Q(priority=ticket.priority, queue_time__lt=ticket.queue_time)
            | Q(priority=ticket.priority, queue_time=ticket.queue_time, pk__lt=ticket.pk)
        )
        return self.filter(before, date=ticket.date, status=TicketStatus.WAITING)

    def at_counter(self, counter_id: int):
        """The ticket a counter is calling or serving."""
        return self.filter(counter_id=counter_id, status__in=AT_COUNTER)

    def with_open_request(self):
        """Each ticket with ``open_request_id``, the request it is queued for (always
        the newest: a transfer adds one), read in the same statement as the ticket."""
        newest = ServiceRequest.objects.filter(ticket=OuterRef("pk")).order_by("-pk").values("pk")[:1]
        return self.annotate(open_request_id=Subquery(newest))


class Ticket(models.Model):
    """One visit with one queue number (B-007). It carries one service request per
    service the citizen came for; a transfer adds the next one."""

    code = models.CharField(_("kode"), max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)
    # No index of its own: the unique (agency, date, number) constraint leads with it,
    # and every index is written again on each change of a ticket's state.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("instansi"), db_index=False
    )
    date = models.DateField(_("tanggal"))
    number = models.PositiveIntegerField(_("nomor"))
    prefix = models.CharField(_("awalan"), max_length=3)
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="ticket", verbose_name=_("pemesanan")
    )
    priority_group = models.CharField(
        _("kelompok prioritas"), max_length=16, choices=PriorityGroup.choices, blank=True, default=""
    )
    priority = models.BooleanField(_("prioritas"), default=False)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.ID)

    issued_for = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("layanan saat diterbitkan")
    )
    # The queue state of the current service request, kept here for one-table queue queries.
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("layanan"))
    status = models.CharField(_("status"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    queue_time = models.DateTimeField(_("urutan antrean"))
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("loket")
    )
    recalls = models.PositiveSmallIntegerField(_("panggilan ulang"), default=0)
    near_notices = models.PositiveSmallIntegerField(_("pemberitahuan giliran dekat"), default=0)
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    called_at = models.DateTimeField(_("dipanggil"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiket antrean")
        verbose_name_plural = _("tiket antrean")
        ordering = ["date", "agency", "number"]
        indexes = [
            # The queue order within a service, so "call next" reads one index entry.
            # Only waiting tickets are in it: it stays the size of the day's queue
            # however much history the table holds, and a ticket that leaves the
            # queue (called, served) adds nothing to it.
            models.Index(
                fields=["date", "service", "-priority", "queue_time", "id"],
                condition=Q(status=TicketStatus.WAITING),
                name="ticket_waiting_idx",
            ),
            # The rest of a day's tickets by state: held ones, the quota count, expiry.
            models.Index(fields=["date", "status", "service"], name="ticket_day_idx"),
            # The ticket at a counter ("is it busy?"): one entry per counter at most.
            models.Index(fields=["counter"], condition=Q(status__in=AT_COUNTER), name="ticket_at_counter_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date", "number"], name="ticket_number_unique_per_agency_day"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def queue_prefix(self) -> str:
        """Empty while the ticket waits at the agency that issued it; after a transfer to
        another agency, that agency's prefix, shown and spoken before the number the
        citizen holds (``L/B-007``): the number stays theirs, and the prefix says whose
        queue it is in now, on the board, the console and the ticket page alike. The
        service (and, only then, its agency) is read with the ticket wherever it is shown."""
        if self.service.agency_id == self.agency_id:
            return ""
        return self.service.agency.ticket_prefix

    @property
    def display_number(self) -> str:
        number = f"{self.prefix}-{self.number:03d}"
        return f"{queue}/{number}" if (queue := self.queue_prefix) else number

    @property
    def spoken_number(self) -> str:
        number = f"{self.prefix} {self.number}"
        return f"{queue} {number}" if (queue := self.queue_prefix) else number


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Dalam antrean")
    SERVED = "served", _("Dilayani")
    TRANSFERRED = "transferred", _("Dialihkan")
    NO_SHOW = "no_show", _("Tidak hadir")
    EXPIRED = "expired", _("Kedaluwarsa")
    PROCESSING = "processing", _("Diproses")
    READY = "ready", _("Siap diambil")
    PICKED_UP = "picked_up", _("Sudah diambil")
    REJECTED = "rejected", _("Ditolak")


class ServiceRequest(models.Model):
    """One service a visit came for (permohonan). It lives on after the counter while
    the product is processed, against the service's published completion time."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="requests", verbose_name=_("tiket"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests", verbose_name=_("layanan"))
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai dilayani"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai di loket"), null=True, blank=True)
    due_on = models.DateField(_("target selesai"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.service_id} {self.status}"


class TicketAction(models.TextChoices):
    ISSUED = "issued", _("Diterbitkan")
    CALLED = "called", _("Dipanggil")
    RECALLED = "recalled", _("Dipanggil ulang")
    STARTED = "started", _("Mulai dilayani")
    COMPLETED = "completed", _("Selesai")
    NO_SHOW = "no_show", _("Tidak hadir")
    HELD = "held", _("Ditunda")
    RESUMED = "resumed", _("Dilanjutkan")
    TRANSFERRED = "transferred", _("Dialihkan")
    EXPIRED = "expired", _("Kedaluwarsa")


class TicketEvent(models.Model):
    """A row of a ticket's history: every state change, with its time, counter and
    officer. Waiting and service times and throughput are derived from these rows.

    It is also the audit trail of the floor (who acted on which ticket, and how): the
    administration lists it for DPMPTSP's administrators, and the database refuses
    to change a row once written (migration 0018)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("tiket"))
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("permohonan")
    )
    action = models.CharField(_("tindakan"), max_length=16, choices=TicketAction.choices)
    from_status = models.CharField(_("dari status"), max_length=16, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(_("ke status"), max_length=16, choices=TicketStatus.choices)
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("loket")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    at = models.DateTimeField(_("waktu"), db_index=True)

    class Meta:
        verbose_name = _("riwayat tiket")
        verbose_name_plural = _("riwayat tiket (tindakan petugas)")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at"], name="ticket_event_action_at_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.at:%H:%M:%S}"


class Announcement(models.Model):
    """A line of the display board's running text, edited by DPMPTSP staff."""

    text = models.CharField(_("teks"), max_length=300)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("instansi"),
        help_text=_("Kosong: tampil di semua papan."),
    )
    active = models.BooleanField(_("tampil"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("teks berjalan")
        verbose_name_plural = _("teks berjalan")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
