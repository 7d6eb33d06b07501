"""The outbox of notifications, their attempts, and the staff's wording."""

import uuid

from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from queueing.models.bookings import Booking
from queueing.models.shared import Language


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "Email"


class NotificationEvent(models.TextChoices):
    BOOKING_CONFIRMED = "booking_confirmed", _("Pemesanan dikonfirmasi")
    BOOKING_RESCHEDULED = "booking_rescheduled", _("Pemesanan dijadwalkan ulang")
    BOOKING_CANCELLED = "booking_cancelled", _("Pemesanan dibatalkan")
    SCHEDULE_CHANGED = "schedule_changed", _("Jadwal layanan berubah")
    SCHEDULE_RESTORED = "schedule_restored", _("Pemesanan berlaku lagi setelah jadwal dipulihkan")
    REMINDER_EVENING = "reminder_evening", _("Pengingat malam sebelumnya")
    REMINDER_SOON = "reminder_soon", _("Pengingat menjelang slot")
    TURN_NEAR = "turn_near", _("Giliran sudah dekat")
    CALLED = "called", _("Dipanggil ke loket")
    SURVEY = "survey", _("Tautan survei kepuasan")
    BOOKING_CODES = "booking_codes", _("Kode pemesanan dikirim ulang")
    COMPLAINT_ANSWERED = "complaint_answered", _("Pengaduan ditanggapi")
    COMPLAINTS_OVERDUE = "complaints_overdue", _("Pengaduan melewati batas tanggapan (untuk petugas)")
    MOU_EXPIRING = "mou_expiring", _("MoU instansi segera berakhir")


# The messages that never wait, even while a rush fills the CPU: the outbox watch reads
# them through an index of their own (``notification_urgent_idx``), whose condition
# must be the watch's filter.
URGENT_EVENTS = (NotificationEvent.CALLED.value, NotificationEvent.TURN_NEAR.value)


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
            # that never wait (``queueing.notifications.watcher``). A confirmation enters no
            # entry here.
            models.Index(
                fields=["due_at"],
                name="notification_urgent_idx",
                condition=Q(status="pending", event__in=list(URGENT_EVENTS)),
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
# Each process also keeps the wording for a few seconds (``queueing.notifications.wording``).
local_wording: dict = {}


class MessageTemplate(models.Model):
    """The text of a notification, per event and language, as DPMPTSP staff word it.
    Placeholders in braces ({code}, {service}, {date}, {time}, {counter}, {number},
    {link}, {codes}) are filled in; a missing row falls back to the text in
    queueing/notifications/wording.py."""

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
        local_wording.clear()
