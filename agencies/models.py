import datetime as dt
import uuid

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.documents import ProtectedFileField, pdf_extension, validate_pdf
from mpp_common.translated import Translated, english


class AgencyKind(models.TextChoices):
    PEMERINTAH = "pemerintah", _("Instansi pemerintah pusat")
    OPD = "opd", _("Perangkat daerah (OPD)")
    BUMN = "bumn", _("BUMN")
    BUMD = "bumd", _("BUMD")
    SWASTA = "swasta", _("Swasta")


# An MoU that ends within this many days is flagged, and its staff are told (at 90, 30
# and 7 days: queueing.notifications.mou_expiry).
MOU_WARNING_DAYS = 90


class MouStatus(models.TextChoices):
    NONE = "none", _("Tanpa MoU")
    UPCOMING = "upcoming", _("Belum berlaku")
    IN_FORCE = "in_force", _("Berlaku")
    EXPIRING = "expiring", _("Segera berakhir")
    EXPIRED = "expired", _("Sudah berakhir")


def mou_status(*, until: dt.date | None, open_ended: bool, count: int = 1, on: dt.date) -> str:
    """The status of an MoU (or of an agency by its MoUs): none, ended, ending within
    ``MOU_WARNING_DAYS`` or in force, from the last day it runs (``until``)."""
    if not count:
        return MouStatus.NONE
    if open_ended or until is None:
        return MouStatus.IN_FORCE
    if until < on:
        return MouStatus.EXPIRED
    if until <= on + dt.timedelta(days=MOU_WARNING_DAYS):
        return MouStatus.EXPIRING
    return MouStatus.IN_FORCE


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_mou(self):
        """Each agency with ``mou_count``, ``mou_open_ended`` (an MoU with no end) and
        ``mou_until`` (the last day its latest MoU runs): a renewal that ends later
        covers the one before it."""
        return self.annotate(
            mou_count=Count("agreements", distinct=True),
            mou_open_ended=Exists(Agreement.objects.filter(agency=OuterRef("pk"), valid_until__isnull=True)),
            mou_until=Max("agreements__valid_until"),
        )

    def with_mou_status(self, status: str, *, on: dt.date | None = None):
        """The agencies (``with_mou``) whose MoUs have ``status`` on ``on``."""
        return self.with_mou().filter(mou_status_q(status, on=on or timezone.localdate()))


def mou_status_q(status: str, *, on: dt.date) -> Q:
    """``mou_status`` as a filter of agencies annotated by ``AgencyQuerySet.with_mou``."""
    warn = on + dt.timedelta(days=MOU_WARNING_DAYS)
    dated = Q(mou_count__gt=0, mou_open_ended=False)
    conditions = {
        MouStatus.NONE: Q(mou_count=0),
        MouStatus.EXPIRED: dated & Q(mou_until__lt=on),
        MouStatus.EXPIRING: dated & Q(mou_until__gte=on, mou_until__lte=warn),
        MouStatus.IN_FORCE: Q(mou_open_ended=True) | (dated & Q(mou_until__gt=warn)),
    }
    return conditions[status]


class Agency(Translated, models.Model):
    """A partner that serves at the mall under an MoU with DPMPTSP; its name and
    description in Indonesian and English (``agency.localized.name``)."""

    translated_fields = ("name", "description")

    code = models.SlugField(
        _("kode"), max_length=32, unique=True, help_text=_("Huruf kecil tanpa spasi, mis. disdukcapil.")
    )
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=AgencyKind.choices)
    ticket_prefix = models.CharField(
        _("awalan nomor antrean"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{1,3}$", _("Satu sampai tiga huruf kapital."))],
    )
    description = models.TextField(_("keterangan"), blank=True)
    name_en = english(models.CharField, name, max_length=200)
    description_en = english(models.TextField, description)
    location = models.CharField(_("lokasi di gedung"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def mou_upload_to(instance: "Agreement", filename: str) -> str:
    # A name of its own, not the uploader's: nothing to guess, nothing odd to quote.
    return f"mou/{instance.agency.code}/{uuid.uuid4().hex}.pdf"


class AgreementQuerySet(models.QuerySet):
    def in_force(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day)

    def expired(self, on=None):
        """MoUs whose last day has passed."""
        return self.filter(valid_until__lt=on or timezone.localdate())

    def expiring(self, on=None, within: int = MOU_WARNING_DAYS):
        """MoUs whose last day is today or within ``within`` days."""
        day = on or timezone.localdate()
        return self.filter(valid_until__gte=day, valid_until__lte=day + dt.timedelta(days=within))


class Agreement(models.Model):
    """The MoU (nota kesepahaman) between DPMPTSP and a partner agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("instansi"))
    number = models.CharField(_("nomor"), max_length=100)
    signed_on = models.DateField(_("tanggal penandatanganan"))
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    scope = models.TextField(_("ruang lingkup"), blank=True)
    # Read only through ``agencies.views.agreement_document``: DPMPTSP's administrators
    # and the agency's own supervisor; no media URL serves it.
    document = ProtectedFileField(
        _("dokumen yang ditandatangani"),
        upload_to=mou_upload_to,
        blank=True,
        url_name="agreement-document",
        validators=[pdf_extension, validate_pdf],
        help_text=_("Berkas PDF. Hanya administrator DPMPTSP dan supervisor instansi ini yang dapat membukanya."),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("nota kesepahaman (MoU)")
        verbose_name_plural = _("nota kesepahaman (MoU)")
        ordering = ["agency__name", "-signed_on"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="agreement_number_unique_per_agency"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.agency.code})"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Tanggal akhir berlaku sebelum tanggal mulai berlaku.")})

    def status(self, on: dt.date | None = None) -> str:
        day = on or timezone.localdate()
        if self.valid_from > day:
            return MouStatus.UPCOMING
        return mou_status(until=self.valid_until, open_ended=self.valid_until is None, on=day)

    def days_left(self, on: dt.date | None = None) -> int | None:
        """Days from ``on`` to the last day it runs (negative once ended); None without an end."""
        if self.valid_until is None:
            return None
        return (self.valid_until - (on or timezone.localdate())).days


class CounterQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_open=True, agency__active=True)

    def visible_to(self, user):
        """Every counter for DPMPTSP administrators; their own agency's for its staff;
        none for a kiosk."""
        return self if user.is_mall_admin else self.filter(agency_id=user.staff_agency_id)

    def usable_by(self, user):
        """The counters a user may work at: administrators all, supervisors their
        agency's, officers the ones they are bound to."""
        if not user.is_active:
            return self.none()
        counters = self.visible_to(user)
        if user.is_mall_admin or user.role == Role.SUPERVISOR:
            return counters
        return counters.filter(officers=user)


class Counter(models.Model):
    """A loket. Its number is unique in the whole mall, as the display board calls it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="counters", verbose_name=_("instansi"))
    number = models.PositiveSmallIntegerField(_("nomor loket"), unique=True)
    name = models.CharField(_("nama"), max_length=100, blank=True)
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    is_open = models.BooleanField(_("buka"), default=True)
    paused_since = models.DateTimeField(
        _("istirahat sejak"), null=True, blank=True, help_text=_("Loket sedang istirahat: tidak memanggil antrean.")
    )

    objects = CounterQuerySet.as_manager()

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = _("loket")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Loket {self.number} – {self.agency.code}"


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator DPMPTSP")
    SUPERVISOR = "supervisor", _("Supervisor instansi")
    OFFICER = "officer", _("Petugas loket")
    HELP_DESK = "helpdesk", _("Petugas meja bantuan DPMPTSP")
    KIOSK = "kiosk", _("Kiosk antrean (perangkat)")


# Roles of DPMPTSP, which runs the whole mall: they belong to no partner agency. A
# kiosk is a device account, not a person: it only issues walk-in tickets and checks
# bookings in, for the whole mall (no agency) or as one agency's own ticket machine.
MALL_ROLES = (Role.ADMIN, Role.HELP_DESK)


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser is a DPMPTSP administrator: the role that needs no agency.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)

    def office_staff_to_tell(self, agency_ids: set[int]) -> tuple[list["User"], dict[int, list["User"]]]:
        """Who the office's email notices go to: DPMPTSP's administrators, and each of
        ``agency_ids``' supervisors, active and with an email address (pk order)."""
        people = self.filter(is_active=True).exclude(email="")
        admins = list(people.filter(Q(role=Role.ADMIN) | Q(is_superuser=True)).order_by("pk"))
        supervisors: dict[int, list[User]] = {}
        for user in people.filter(role=Role.SUPERVISOR, agency_id__in=agency_ids, is_superuser=False).order_by("pk"):
            supervisors.setdefault(user.agency_id, []).append(user)
        return admins, supervisors


class User(AbstractUser):
    """Staff of the mall. Citizens do not log in."""

    role = models.CharField(_("peran"), max_length=16, choices=Role.choices, default=Role.OFFICER)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("instansi"),
    )
    counters = models.ManyToManyField(Counter, blank=True, related_name="officers", verbose_name=_("loket"))

    objects = UserManager()

    class Meta:
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[role.value for role in MALL_ROLES])
                | Q(role=Role.KIOSK.value)
                | Q(agency__isnull=False),
                name="agency_staff_have_an_agency",
            ),
        ]

    @property
    def is_mall_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def can_use_help_desk(self) -> bool:
        """DPMPTSP's front office: administrators and help-desk staff, never an
        agency's officers or supervisors."""
        return self.is_active and (self.is_mall_admin or self.role == Role.HELP_DESK)

    @property
    def is_kiosk(self) -> bool:
        return self.role == Role.KIOSK

    @property
    def staff_agency_id(self) -> int | None:
        """The agency whose staff this account is: ``None`` for the mall's staff and for
        every kiosk, which is a device of its agency, not one of its staff."""
        return None if self.is_kiosk else self.agency_id

    @property
    def can_issue_walk_ins(self) -> bool:
        """Only a registered kiosk issues walk-in tickets and checks bookings in; no
        person does, whatever their role."""
        return self.is_active and self.is_kiosk and not self.is_superuser

    def can_issue_walk_ins_for(self, agency_id: int) -> bool:
        """A mall kiosk issues for every agency; an agency's own kiosk for that agency only."""
        return self.can_issue_walk_ins and (self.agency_id is None or self.agency_id == agency_id)

    def can_manage_kiosk(self, kiosk: "User") -> bool:
        """Who issues and revokes a kiosk's token and sessions: an administrator any
        kiosk; a supervisor their agency's own (never the mall's, which has none)."""
        return kiosk.is_kiosk and self.can_manage_agency(kiosk.agency_id)

    def can_manage_agency(self, agency_id: int | None) -> bool:
        """Admins manage every agency; supervisors only their own; officers none."""
        if not self.is_active:
            return False
        if self.is_mall_admin:
            return True
        return self.role == Role.SUPERVISOR and agency_id is not None and agency_id == self.agency_id

    def can_see_agency(self, agency_id: int | None) -> bool:
        return self.is_active and (self.is_mall_admin or (agency_id is not None and agency_id == self.staff_agency_id))


class LoginLockout(AccessAttempt):
    """Failed logins of one username from one client address, as django-axes counts
    them; at ``AXES_FAILURE_LIMIT`` within the cool-off the username is locked out there."""

    class Meta:
        proxy = True
        verbose_name = _("kunci login")
        verbose_name_plural = _("kunci login")
        ordering = ["-attempt_time"]


class AuditAction(models.TextChoices):
    ADD = "add", _("Tambah")
    CHANGE = "change", _("Ubah")
    DELETE = "delete", _("Hapus")
    ACTION = "action", _("Tindakan")
    VIEW_NIK = "view_nik", _("Lihat NIK utuh")


class AuditEntry(models.Model):
    """One row of the audit log: who did what to which record in the administration
    (with the values before and after, passwords and NIK never in clear), or who was
    shown a citizen's full NIK. Written by ``agencies.audit``; never changed or deleted
    (the database refuses both, migration 0009); read by DPMPTSP's administrators only.
    Ticket actions are in each ticket's history (``TicketEvent``)."""

    at = models.DateTimeField(_("waktu"), default=timezone.now)
    # No constraint: the entry outlives the account, and names it in ``actor_name``.
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        # Found through the (actor, at) index below.
        db_index=False,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    actor_name = models.CharField(_("nama pengguna"), max_length=150)
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    action = models.CharField(_("tindakan"), max_length=16, choices=AuditAction.choices)
    model = models.CharField(_("jenis data"), max_length=100, help_text=_("app_label.model"))
    object_id = models.CharField(_("id data"), max_length=64, blank=True)
    object_repr = models.CharField(_("data"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("entri log audit")
        verbose_name_plural = _("log audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["model", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} · {self.get_action_display()} · {self.model} {self.object_id}"
