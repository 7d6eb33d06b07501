"""The satisfaction survey (SKM) of a served visit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from queueing.models.tickets import Ticket
from services.models import Service

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


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every agency's surveys for DPMPTSP administrators; their own agency's for
        the agency's staff; none for an inactive account."""
        if not user.is_active:
            return self.none()
        return self if user.is_mall_admin else self.filter(agency_id=user.staff_agency_id)

    def with_comment(self):
        """The surveys with a suggestion (saran dan masukan), newest first."""
        return self.exclude(comment="").order_by("-created_at", "-pk")


class Survey(models.Model):
    """One satisfaction survey (SKM, PermenPAN-RB 14/2017) per served visit: nine
    elements, each scored 1–4."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey", verbose_name=_("tiket"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("layanan"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("instansi"))
    answers = models.JSONField(_("jawaban"))
    comment = models.TextField(_("saran dan masukan"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("diisi"), auto_now_add=True)
    # Who handed the counter's tablet over for it; empty when the citizen answered by
    # their own link. DPMPTSP can tell the two apart when reading the figures.
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diserahkan oleh petugas"),
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survei kepuasan")
        verbose_name_plural = _("survei kepuasan")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="survey_agency_idx"),
            # The newest suggestions of the whole mall, read by the IKM publication.
            models.Index(fields=["-created_at"], condition=~models.Q(comment=""), name="survey_comment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.answers}"


class SurveyTally(models.Model):
    """The sums of one day's surveys of one service (the day in Asia/Jakarta): how many
    answered, how many left a suggestion, and per element the sum of the scores and
    how many answered it. The database keeps it: a trigger on ``queueing_survey``
    (migration 0017) adds each survey written and takes back each one deleted or
    changed, whatever wrote it. The IKM publication reads these rows, a few thousand a
    year, instead of a year's surveys (docs/decisions/0020-ikm-from-daily-tallies.md)."""

    day = models.DateField(_("tanggal"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    respondents = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)
    score_1 = models.IntegerField(default=0)
    score_2 = models.IntegerField(default=0)
    score_3 = models.IntegerField(default=0)
    score_4 = models.IntegerField(default=0)
    score_5 = models.IntegerField(default=0)
    score_6 = models.IntegerField(default=0)
    score_7 = models.IntegerField(default=0)
    score_8 = models.IntegerField(default=0)
    score_9 = models.IntegerField(default=0)
    answered_1 = models.IntegerField(default=0)
    answered_2 = models.IntegerField(default=0)
    answered_3 = models.IntegerField(default=0)
    answered_4 = models.IntegerField(default=0)
    answered_5 = models.IntegerField(default=0)
    answered_6 = models.IntegerField(default=0)
    answered_7 = models.IntegerField(default=0)
    answered_8 = models.IntegerField(default=0)
    answered_9 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("rekap harian survei")
        verbose_name_plural = _("rekap harian survei")
        # Also the index a period's rows are read by.
        constraints = [models.UniqueConstraint(fields=["day", "agency", "service"], name="survey_tally_unique_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.service_id}: {self.respondents}"
