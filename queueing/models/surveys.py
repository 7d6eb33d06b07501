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
        indexes = [models.Index(fields=["agency", "created_at"], name="survey_agency_idx")]

    def __str__(self) -> str:
        return f"{self.ticket} {self.answers}"
