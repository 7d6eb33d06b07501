import datetime as dt
import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Counter
from mpp_common.translated import Translated, english

SEARCH_MAX_CHARS = 200


def clean_search_text(raw: str) -> str:
    """At most 200 characters, control characters (a NUL byte among them, which
    PostgreSQL text cannot hold) replaced by spaces, white space folded."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in raw[:SEARCH_MAX_CHARS])
    return " ".join(cleaned.split())


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(active=True, agency__active=True)


class Service(Translated, models.Model):
    """A service an agency offers at the mall, with its published standard
    (standar pelayanan, PermenPAN-RB 15/2014) and its booking rules.

    Its content is entered in Bahasa Indonesia and, beside each field, in English
    (``<field>_en``); ``service.localized.<field>`` gives the page's language, falling
    back to Indonesian where the English is empty."""

    translated_fields = (
        "name",
        "description",
        "requirements",
        "procedure",
        "completion_time",
        "fee",
        "product",
        "complaints",
        "legal_basis",
    )

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("instansi"))
    code = models.SlugField(_("kode"), max_length=64)
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(_("keterangan singkat"), blank=True)

    # The published standard: six service-delivery components plus the legal basis.
    requirements = models.TextField(_("persyaratan"), help_text=_("Satu persyaratan per baris."))
    procedure = models.TextField(_("sistem, mekanisme dan prosedur"), help_text=_("Satu langkah per baris."))
    completion_time = models.CharField(_("jangka waktu penyelesaian"), max_length=200)
    completion_days = models.PositiveSmallIntegerField(
        _("waktu penyelesaian (hari kerja)"),
        default=0,
        help_text=_("0 bila selesai di loket pada hari yang sama."),
    )
    fee = models.CharField(_("biaya/tarif"), max_length=300, default="Gratis")
    product = models.CharField(_("produk pelayanan"), max_length=300)
    complaints = models.TextField(_("penanganan pengaduan, saran dan masukan"))
    legal_basis = models.TextField(_("dasar hukum"), blank=True, help_text=_("Satu peraturan per baris."))

    # The same content in English; empty fields show the Indonesian text.
    name_en = english(models.CharField, name, max_length=200)
    description_en = english(models.TextField, description)
    requirements_en = english(models.TextField, requirements)
    procedure_en = english(models.TextField, procedure)
    completion_time_en = english(models.CharField, completion_time, max_length=200)
    fee_en = english(models.CharField, fee, max_length=300)
    product_en = english(models.CharField, product, max_length=300)
    complaints_en = english(models.TextField, complaints)
    legal_basis_en = english(models.TextField, legal_basis)

    # How citizens reach it.
    online_booking = models.BooleanField(_("menerima pemesanan daring"), default=True)
    walk_in = models.BooleanField(_("menerima antrean langsung"), default=True)
    external_booking_url = models.URLField(
        _("tautan pemesanan eksternal"),
        blank=True,
        help_text=_("Bila instansi memakai sistem pemesanannya sendiri (mis. M-Paspor)."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("lama slot (menit)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    slot_capacity = models.PositiveSmallIntegerField(
        _("kapasitas per slot"), default=4, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    daily_quota = models.PositiveIntegerField(
        _("kuota harian"), default=100, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    walk_in_reserve = models.PositiveIntegerField(
        _("cadangan antrean langsung"), default=0, help_text=_("Bagian kuota harian yang tidak dapat dipesan daring.")
    )
    priority_reserve = models.PositiveIntegerField(
        _("cadangan kelompok prioritas"),
        default=0,
        help_text=_(
            "Bagian kuota harian khusus lansia, penyandang disabilitas, ibu hamil dan pengunjung dengan balita."
        ),
    )
    counters = models.ManyToManyField(Counter, blank=True, related_name="services", verbose_name=_("loket"))
    waiting_target_minutes = models.PositiveSmallIntegerField(
        _("target waktu tunggu (menit)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
        help_text=_(
            "Waktu dari ambil nomor sampai dipanggil yang dijanjikan; laporan menghitung porsi yang memenuhinya."
        ),
    )
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["agency__name", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="service_code_unique_per_agency"),
            models.CheckConstraint(
                condition=Q(walk_in_reserve__lte=F("daily_quota") - F("priority_reserve")),
                name="service_reserves_within_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.code})"

    def clean(self) -> None:
        errors = {}
        if self.walk_in_reserve + self.priority_reserve > self.daily_quota:
            errors["walk_in_reserve"] = _("Jumlah cadangan melebihi kuota harian.")
        if self.online_booking and self.external_booking_url:
            errors["external_booking_url"] = _(
                "Layanan dengan pemesanan eksternal tidak menerima pemesanan daring di portal."
            )
        if errors:
            raise ValidationError(errors)

    # One line each, in the page's language.
    @property
    def requirement_list(self) -> list[str]:
        return _lines(self.localized.requirements)

    @property
    def procedure_steps(self) -> list[str]:
        return _lines(self.localized.procedure)

    @property
    def legal_basis_list(self) -> list[str]:
        return _lines(self.localized.legal_basis)

    @property
    def bookable_per_day(self) -> int:
        """Seats citizens can book online in one day (the rest stays for walk-ins and priority)."""
        return max(self.daily_quota - self.walk_in_reserve - self.priority_reserve, 0)


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class OpeningHours(models.Model):
    """One open interval on a weekday, or the weekday marked closed.

    Rows belong to the whole mall (no agency, no service), to an agency, or to one
    service. A level decides only the weekdays it has rows for; on any other weekday
    the wider level decides (``services.schedule.hours_on``). Within a level, rows with
    a date range (Ramadan hours) replace the undated rows of their weekday on the dates
    they cover. A row marked closed closes its weekday at its level.
    """

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opening_hours",
        verbose_name=_("instansi"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opening_hours",
        verbose_name=_("layanan"),
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    closed = models.BooleanField(
        _("tutup sepanjang hari"),
        default=False,
        help_text=_("Hari ini tutup pada tingkat ini, walaupun tingkat yang lebih luas buka. Kosongkan jam."),
    )
    opens = models.TimeField(_("buka"), null=True, blank=True)
    closes = models.TimeField(_("tutup"), null=True, blank=True)
    valid_from = models.DateField(_("berlaku sejak"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    label = models.CharField(_("keterangan"), max_length=100, blank=True, help_text=_("Mis. Jam Ramadan 2027."))

    class Meta:
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__isnull=False, closes__isnull=False, closes__gt=F("opens")),
                name="hours_closed_or_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True, valid_until__isnull=True)
                | Q(valid_from__isnull=False, valid_until__isnull=False, valid_until__gte=F("valid_from")),
                name="hours_range_complete_and_ordered",
            ),
        ]

    def __str__(self) -> str:
        if self.closed:
            return f"{self.get_weekday_display()} {_('tutup')}"
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"

    def clean(self) -> None:
        errors = {}
        if self.closed:
            if self.opens is not None or self.closes is not None:
                errors["closed"] = _("Hari yang ditandai tutup tidak berjam buka; kosongkan jam buka dan tutup.")
        elif self.opens is None or self.closes is None:
            missing = _("Isi jam buka dan tutup, atau tandai hari ini tutup.")
            errors |= {name: missing for name in ("opens", "closes") if getattr(self, name) is None}
        elif self.closes <= self.opens:
            errors["closes"] = _("Jam tutup harus setelah jam buka.")
        if (self.valid_from is None) != (self.valid_until is None):
            errors["valid_until"] = _("Isi kedua tanggal rentang, atau kosongkan keduanya.")
        elif self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("Tanggal akhir sebelum tanggal awal.")
        if self.service_id and self.agency_id and self.service.agency_id != self.agency_id:
            errors["service"] = _("Layanan bukan milik instansi ini.")
        if errors:
            raise ValidationError(errors)


class ClosureSource(models.TextChoices):
    HOLIDAYS = "holidays", _("Hari libur nasional / cuti bersama")
    MANUAL = "manual", _("Ditetapkan petugas")


class ClosureDay(models.Model):
    """A day the whole mall (no agency) or one agency does not serve."""

    date = models.DateField(_("tanggal"))
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="closure_days", verbose_name=_("instansi")
    )
    name = models.CharField(_("keterangan"), max_length=200)
    source = models.CharField(_("sumber"), max_length=16, choices=ClosureSource.choices, default=ClosureSource.MANUAL)

    class Meta:
        verbose_name = _("hari tutup")
        verbose_name_plural = _("hari tutup")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "agency"], name="closure_unique_per_agency_day"),
            models.UniqueConstraint(fields=["date"], condition=Q(agency__isnull=True), name="closure_unique_mall_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


POLICY_CACHE_SECONDS = 10
_policy_cache: dict = {}


class BookingPolicy(models.Model):
    """The mall's booking rules, one row that DPMPTSP staff edit (DOMAIN.md: practice
    varies, so none of these is a constant)."""

    min_notice_minutes = models.PositiveIntegerField(_("pemesanan paling lambat (menit sebelum slot)"), default=60)
    max_days_ahead = models.PositiveSmallIntegerField(
        _("pemesanan paling jauh (hari ke depan)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    registration_hours = models.CharField(
        _("jam pendaftaran daring"),
        max_length=100,
        blank=True,
        help_text=_("Kosong bila kapan saja; mis. 06.00-10.00, 16.00-22.00."),
        validators=[
            RegexValidator(
                r"^\s*(\d{2}[.:]\d{2}\s*-\s*\d{2}[.:]\d{2})(\s*,\s*\d{2}[.:]\d{2}\s*-\s*\d{2}[.:]\d{2})*\s*$",
                _("Tulis seperti 06.00-10.00, 16.00-22.00."),
            )
        ],
    )
    max_reschedules = models.PositiveSmallIntegerField(_("batas penjadwalan ulang"), default=1)
    reschedule_deadline_days = models.PositiveSmallIntegerField(
        _("jadwal ulang paling lambat (hari sebelum slot)"), default=1
    )
    arrive_early_minutes = models.PositiveSmallIntegerField(_("datang lebih awal (menit)"), default=30)
    check_in_opens_minutes = models.PositiveSmallIntegerField(_("check-in dibuka (menit sebelum slot)"), default=60)
    check_in_closes_minutes = models.PositiveSmallIntegerField(
        _("check-in ditutup (menit setelah slot dimulai)"), default=30
    )
    slot_grace_minutes = models.PositiveSmallIntegerField(
        _("toleransi keterlambatan (menit)"),
        default=15,
        help_text=_("Pemesan yang hadir paling lambat sekian menit setelah slot tetap diurutkan menurut jam slot."),
    )
    transfer_keeps_place = models.BooleanField(
        _("pengalihan mempertahankan urutan"),
        default=True,
        help_text=_("Bila tidak, tiket yang dialihkan masuk ke urutan paling belakang."),
    )
    recalls_before_no_show = models.PositiveSmallIntegerField(_("panggilan ulang sebelum tidak hadir"), default=1)
    reminder_evening_at = models.TimeField(
        _("pengingat malam sebelumnya pukul"),
        default=dt.time(19, 0),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk tidak mengirim."),
    )
    reminder_before_minutes = models.PositiveSmallIntegerField(
        _("pengingat menjelang slot (menit sebelumnya)"), default=60, help_text=_("0 untuk tidak mengirim.")
    )
    turn_near_ahead = models.PositiveSmallIntegerField(
        _("beri tahu bila orang di depan tinggal"), default=3, validators=[MinValueValidator(1)]
    )
    quiet_from = models.TimeField(_("jam tenang mulai"), default=dt.time(21, 0))
    quiet_until = models.TimeField(_("jam tenang sampai"), default=dt.time(6, 0))

    class Meta:
        verbose_name = _("aturan pemesanan dan antrean")
        verbose_name_plural = _("aturan pemesanan dan antrean")

    def __str__(self) -> str:
        return str(_("Aturan pemesanan"))

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.forget_cached()

    @classmethod
    def current(cls) -> "BookingPolicy":
        """The policy row, read at most every few seconds per process: every booking
        consults it, staff change it rarely."""
        cached = _policy_cache.get("policy")
        if cached and cached[0] > time.monotonic():
            return cached[1]
        policy, _created = cls.objects.get_or_create(pk=1)
        _policy_cache["policy"] = (time.monotonic() + POLICY_CACHE_SECONDS, policy)
        return policy

    @staticmethod
    def forget_cached() -> None:
        _policy_cache.clear()

    def clean(self) -> None:
        try:
            intervals = self.registration_intervals()
        except ValueError:
            intervals = None
        if intervals is None or any(end <= start for start, end in intervals):
            raise ValidationError({"registration_hours": _("Jam tidak sah: tulis seperti 06.00-10.00, 16.00-22.00.")})

    def registration_intervals(self) -> list[tuple[dt.time, dt.time]]:
        intervals = []
        for part in self.registration_hours.split(","):
            if part.strip():
                start, end = (piece.strip().replace(":", ".") for piece in part.split("-"))
                intervals.append((dt.time(*map(int, start.split("."))), dt.time(*map(int, end.split(".")))))
        return intervals


class ScheduleStamp(models.Model):
    """One row whose version goes up whenever something that decides when a service is
    open changes (its agency, the service, opening hours, closure days). Processes keep
    each service's schedule in memory and a booking compares this version, read under
    its lock, with the one its copy was made at (``services.schedule``)."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("versi jadwal")
        verbose_name_plural = _("versi jadwal")

    def __str__(self) -> str:
        return str(self.version)
