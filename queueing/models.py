import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services.models import Service

# Crockford's base32: no I, L, O or U, so a code read out over the phone is not misheard.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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
    service and day lock it, so capacity and quota are checked one at a time."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "date"], name="service_day_unique")]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.date}"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_BOOKING)


class Booking(models.Model):
    code = models.CharField(_("kode pemesanan"), max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("layanan"))
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
        indexes = [models.Index(fields=["service", "date", "status"])]
        constraints = [
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


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "Email"


class NotificationEvent(models.TextChoices):
    SCHEDULE_CHANGED = "schedule_changed", _("Jadwal layanan berubah")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class Notification(models.Model):
    """The outbox: one row per message to one citizen on one channel, written in the
    transaction of the change that causes it. ``id`` is what a gateway sees on every
    attempt, so it can drop duplicates; ``dedupe_key`` keeps one row per event."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.CharField(_("peristiwa"), max_length=32, choices=NotificationEvent.choices)
    channel = models.CharField(_("saluran"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.ID)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    due_at = models.DateTimeField(_("jadwal kirim"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.channel} {self.id}"
