import secrets
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Counter
from services.models import Service

# Crockford's base32: no I, L, O or U, so a code read out over the phone is not misheard.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits


def new_code() -> str:
    bits = secrets.randbits(5 * CODE_LENGTH)
    return "".join(CODE_ALPHABET[(bits >> (5 * n)) & 31] for n in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a person typed (lower case, dashes, O for 0) to the stored form."""
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))[: CODE_LENGTH * 2]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class PriorityGroup(models.TextChoices):
    NONE = "", _("Tidak ada")
    ELDERLY = "elderly", _("Lansia (60 tahun ke atas)")
    DISABILITY = "disability", _("Penyandang disabilitas")
    PREGNANT = "pregnant", _("Ibu hamil")
    SMALL_CHILD = "small_child", _("Membawa balita")


class Language(models.TextChoices):
    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Terpesan")
    CHECKED_IN = "checked_in", _("Sudah hadir")
    CANCELLED = "cancelled", _("Dibatalkan")


ACTIVE_BOOKING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


class ServiceDay(models.Model):
    """One row per service and day, created on the first booking. Bookings of that
    service and day lock it, so capacity and quota are checked one at a time, and it
    keeps their count: the active bookings of the day and of each slot, changed in the
    transaction that books, cancels or moves one (``queueing.bookings``). A booking
    reads two numbers instead of counting the day's bookings, however many there are."""

    # No index of its own: the unique (service, date) index leads with the service.
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField()
    booked = models.PositiveIntegerField(_("pemesanan aktif"), default=0)
    # {"09:00": 3}: active bookings by the slot's start, in the portal's zone.
    slot_booked = models.JSONField(_("pemesanan aktif per slot"), default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "date"], name="service_day_unique")]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.date}"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_BOOKING)


class Booking(models.Model):
    # Unique by a constraint, not ``unique=True``: that would add a second index for
    # LIKE searches that nothing makes, and every booking would pay for it.
    code = models.CharField(_("kode pemesanan"), max_length=CODE_LENGTH, default=new_code, editable=False)
    # No index of its own: the one-active-booking constraint's index (service, date, nik,
    # of the active bookings) serves every lookup by service and day. No constraint in
    # the database either: its check would share-lock the service's row in every
    # booking, so a rush on one service would make the database record all its
    # bookings as lockers of that one row. Services are never deleted while they have
    # bookings (PROTECT, held by Django; staff deactivate a service instead).
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("layanan"),
        db_index=False,
        db_constraint=False,
    )
    date = models.DateField(_("tanggal"))
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    status = models.CharField(_("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)

    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama"), max_length=100)
    phone = models.CharField(_("nomor ponsel"), max_length=16, help_text=_("Format E.164, mis. +6281234567890."))
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.ID)
    priority_group = models.CharField(
        _("kelompok prioritas"), max_length=16, choices=PriorityGroup.choices, blank=True, default=""
    )
    channels = models.JSONField(_("saluran pemberitahuan"), default=list)
    consent_at = models.DateTimeField(_("persetujuan pemrosesan data"))

    reschedule_count = models.PositiveSmallIntegerField(_("jumlah jadwal ulang"), default=0)
    rescheduled_at = models.DateTimeField(_("dijadwalkan ulang"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    schedule_conflict_at = models.DateTimeField(
        _("terdampak perubahan jadwal sejak"),
        null=True,
        blank=True,
        help_text=_("Jam layanan atau hari tutup berubah sehingga slot ini tidak ada lagi."),
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemesanan")
        verbose_name_plural = _("pemesanan")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="booking_code_unique"),
            # One active booking per person per service per day, held by the database.
            models.UniqueConstraint(
                fields=["service", "date", "nik"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="one_active_booking_per_nik_service_day",
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_ends_after_start"),
        ]

    def __str__(self) -> str:
        return format_code(self.code)

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


def mask_nik(nik: str) -> str:
    return f"{nik[:4]}{'•' * 8}{nik[-4:]}" if len(nik) == 16 else "•" * len(nik)


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


class TicketQuerySet(models.QuerySet):
    def waiting_for(self, service_ids, day):
        """Tickets waiting for any of these services today, in queue order (see
        queueing.queue_order for the rule)."""
        return self.filter(date=day, status=TicketStatus.WAITING, service_id__in=service_ids).order_by(
            "-priority", "queue_time", "id"
        )

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
    def display_number(self) -> str:
        return f"{self.prefix}-{self.number:03d}"

    @property
    def spoken_number(self) -> str:
        return f"{self.prefix} {self.number}"


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
    officer. Waiting and service times and throughput are derived from these rows."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=TicketAction.choices)
    from_status = models.CharField(max_length=16, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=TicketStatus.choices)
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
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


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "Email"


class NotificationEvent(models.TextChoices):
    BOOKING_CONFIRMED = "booking_confirmed", _("Pemesanan dikonfirmasi")
    BOOKING_RESCHEDULED = "booking_rescheduled", _("Pemesanan dijadwalkan ulang")
    BOOKING_CANCELLED = "booking_cancelled", _("Pemesanan dibatalkan")
    SCHEDULE_CHANGED = "schedule_changed", _("Jadwal layanan berubah")
    REMINDER_EVENING = "reminder_evening", _("Pengingat malam sebelumnya")
    REMINDER_SOON = "reminder_soon", _("Pengingat menjelang slot")
    TURN_NEAR = "turn_near", _("Giliran sudah dekat")
    CALLED = "called", _("Dipanggil ke loket")
    SURVEY = "survey", _("Tautan survei kepuasan")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class NotificationQuerySet(models.QuerySet):
    def due(self, now):
        """Pending rows whose time has come, and rows whose sending lease ran out
        (a worker died mid-send): both are sent (again, with the same id)."""
        return self.filter(
            models.Q(status=NotificationStatus.PENDING, due_at__lte=now)
            | models.Q(status=NotificationStatus.SENDING, lease_until__lt=now)
        )


class Notification(models.Model):
    """The outbox: one row per message to one citizen on one channel, written in the
    transaction of the change that causes it. ``id`` is what a gateway sees on every
    attempt, so it can drop duplicates; ``dedupe_key`` keeps one row per event."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.CharField(_("peristiwa"), max_length=32, choices=NotificationEvent.choices)
    channel = models.CharField(_("saluran"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.ID)
    subject = models.CharField(_("judul"), max_length=200, blank=True)
    message = models.TextField(_("pesan"))
    # No constraint in the database: the confirmation is written in the statement that
    # writes its booking, and the check would lock the new booking's row again at
    # commit. Django deletes a booking's messages with it (CASCADE).
    # No index: a booking's reminders are found by their dedupe keys
    # (``cancel_reminders``), and every index of the outbox costs each booking's
    # confirmation its upkeep, whether the row enters it or not.
    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        db_constraint=False,
        db_index=False,
    )
    # Neither a constraint nor an index in the database: nothing looks a ticket's
    # messages up but Django deleting them with their ticket (CASCADE), and the check of
    # the constraint ran at the commit of every booking, whose confirmation has no
    # ticket.
    ticket = models.ForeignKey(
        "Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        db_constraint=False,
        db_index=False,
    )
    # A copy of the agency, for the staff's filter; no constraint in the database: its
    # check would share-lock the agency's row in every booking and call at once.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi"),
        db_constraint=False,
    )
    dedupe_key = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    due_at = models.DateTimeField(_("jadwal kirim"))
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at"]
        indexes = [
            # Partial: the sweep looks only at pending and sending rows, a small share
            # of an outbox that keeps every message; a new row enters one index.
            models.Index(fields=["due_at"], name="notification_due_idx", condition=Q(status="pending")),
            # What the outbox watch still reads while a rush fills the CPU: the messages
            # that never wait (``queueing.outbox_listener``). A confirmation enters no
            # entry here.
            models.Index(
                fields=["due_at"],
                name="notification_urgent_idx",
                condition=Q(status="pending", event__in=["called", "turn_near"]),
            ),
            models.Index(fields=["lease_until"], name="notification_lease_idx", condition=Q(status="sending")),
        ]
        # A constraint rather than unique=True: no second (LIKE) index on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_unique")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.get_channel_display()}"


class NotificationAttempt(models.Model):
    """One try to deliver a notification, with the answer it got."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("ke"))
    at = models.DateTimeField(_("waktu"))
    outcome = models.CharField(_("hasil"), max_length=16)  # sent, retry, failed, logged
    status_code = models.PositiveSmallIntegerField(_("kode HTTP"), null=True, blank=True)
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)

    class Meta:
        verbose_name = _("percobaan kirim")
        verbose_name_plural = _("percobaan kirim")
        ordering = ["notification", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"


MESSAGE_TEMPLATES_CACHE_KEY = "message-templates"
# Each process also keeps the wording for a few seconds (``queueing.messages``).
_local_wording: dict = {}


class MessageTemplate(models.Model):
    """The text of a notification, per event and language, as DPMPTSP staff word it.
    Placeholders in braces ({code}, {service}, {date}, {time}, {counter}, {number},
    {link}) are filled in; a missing row falls back to the text in queueing/messages.py."""

    event = models.CharField(_("peristiwa"), max_length=32, choices=NotificationEvent.choices)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("judul email"), max_length=200, blank=True)
    text = models.TextField(_("teks"))

    class Meta:
        verbose_name = _("templat pesan")
        verbose_name_plural = _("templat pesan")
        ordering = ["event", "language"]
        constraints = [models.UniqueConstraint(fields=["event", "language"], name="message_template_unique")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.language})"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        return result

    @staticmethod
    def forget_cached() -> None:
        cache.delete(MESSAGE_TEMPLATES_CACHE_KEY)
        _local_wording.clear()


SURVEY_ELEMENTS = (
    _("Persyaratan"),
    _("Sistem, mekanisme dan prosedur"),
    _("Waktu penyelesaian"),
    _("Biaya/tarif"),
    _("Produk spesifikasi jenis pelayanan"),
    _("Kompetensi pelaksana"),
    _("Perilaku pelaksana"),
    _("Penanganan pengaduan, saran dan masukan"),
    _("Sarana dan prasarana"),
)


class Survey(models.Model):
    """One satisfaction survey (SKM, PermenPAN-RB 14/2017) per served visit: nine
    elements, each scored 1–4."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey", verbose_name=_("tiket"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("layanan"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("instansi"))
    answers = models.JSONField(_("jawaban"))
    comment = models.TextField(_("saran dan masukan"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("diisi"), auto_now_add=True)

    class Meta:
        verbose_name = _("survei kepuasan")
        verbose_name_plural = _("survei kepuasan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "created_at"], name="survey_agency_idx")]

    def __str__(self) -> str:
        return f"{self.ticket} {self.answers}"
