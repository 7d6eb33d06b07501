"""Bookings of counter slots, and the day rows that count them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from queueing.models.shared import CODE_LENGTH, Language, PriorityGroup, format_code, new_code
from services.models import Service


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Terpesan")
    CHECKED_IN = "checked_in", _("Sudah hadir")
    CANCELLED = "cancelled", _("Dibatalkan")


ACTIVE_BOOKING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


class ServiceDay(models.Model):
    """One row per service and day, created on the first booking. Bookings of that
    service and day lock it, so capacity and quota are checked one at a time, and it
    keeps their count: the active bookings of the day and of each slot, changed in the
    transaction that books, cancels or moves one (``queueing.bookings.services``). A booking
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


class PhoneDay(models.Model):
    """How many active bookings one mobile number holds on a day, across services, so
    that no number holds more than ``BOOKINGS_PER_PHONE_PER_DAY``
    (docs/decisions/0016-per-number-cap.md). The booking's own statement counts one up
    after it took its seat; the check constraint refuses a count past the cap, which
    undoes the whole statement. A cancel, or a move off the day, counts one down in
    its transaction. Rows of past days are deleted (``phone_days_forget``)."""

    pk = models.CompositePrimaryKey("phone", "date")
    phone = models.CharField(max_length=16)
    date = models.DateField()
    booked = models.IntegerField(default=0)
    # The cap in force when the row was last counted up; the constraint reads it.
    cap = models.IntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(booked__lte=models.F("cap")), name="phone_day_within_cap")]

    def __str__(self) -> str:
        return f"{self.date}: {self.booked}/{self.cap}"


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


class BookingActKind(models.TextChoices):
    FOUND = "found", _("Ditemukan lewat pencarian")
    BOOKED = "booked", _("Dipesankan")
    MOVED = "moved", _("Dijadwalkan ulang")
    CANCELLED = "cancelled", _("Dibatalkan")
    RESENT = "resent", _("Konfirmasi dikirim ulang")
    PRINTED = "printed", _("Dicetak")


class BookingAct(models.Model):
    """What DPMPTSP's help desk did to a booking on a citizen's behalf, and each time a
    search showed it to staff: who, what and when (``queueing.office.help_desk``). The
    staff member's name is kept as it was, so the record still says who acted once the
    account is gone."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="acts", verbose_name=_("pemesanan"))
    kind = models.CharField(_("tindakan"), max_length=16, choices=BookingActKind.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    staff_name = models.CharField(_("nama petugas"), max_length=150)
    at = models.DateTimeField(_("waktu"))
    # A move's slots; a booking made at the desk has only the new one.
    from_start = models.DateTimeField(_("jadwal semula"), null=True, blank=True)
    to_start = models.DateTimeField(_("jadwal baru"), null=True, blank=True)

    class Meta:
        verbose_name = _("catatan meja bantuan")
        verbose_name_plural = _("catatan meja bantuan")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.staff_name}"
