"""Uploaded documents that only staff may read (the signed MoUs).

A document is stored under ``MEDIA_ROOT``, which no URL of the portal serves: its
``url`` is a view of its own that checks who asks (``agencies.views``). Uploads are
checked by what they hold, not only by their name: a PDF starts with ``%PDF-`` and
ends with ``%%EOF``, and is no larger than ``MOU_DOCUMENT_MAX_MB``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Readers look for the header within the first kilobyte and for the end marker within
# the last one; so does the check.
PDF_WINDOW = 1024
PDF_HEADER = b"%PDF-"
PDF_END = b"%%EOF"

NOT_A_PDF_NAME = _("Dokumen harus berkas PDF (nama berakhiran .pdf).")
NOT_A_PDF_CONTENT = _(
    "Berkas ini bukan PDF: isinya tidak berformat PDF walau namanya berakhiran .pdf. "
    "Simpan atau pindai dokumen sebagai PDF, lalu unggah lagi."
)
TOO_LARGE = _("Berkas terlalu besar (%(size)s). Dokumen paling besar %(limit)s.")

pdf_extension = FileExtensionValidator(["pdf"], message=NOT_A_PDF_NAME)


def max_document_bytes() -> int:
    return settings.MOU_DOCUMENT_MAX_MB * 1024 * 1024


def _read(file, offset: int, size: int) -> bytes:
    file.seek(offset)
    return file.read(size)


def validate_pdf(document: FieldFile) -> None:
    """A new upload must be a PDF by its content and within the size limit; a document
    already stored was checked when it came."""
    if getattr(document, "_committed", True):
        return
    limit = max_document_bytes()
    if document.size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": filesizeformat(document.size), "limit": filesizeformat(limit)},
        )
    file = document.file
    try:
        head = _read(file, 0, PDF_WINDOW)
        tail = _read(file, max(document.size - PDF_WINDOW, 0), PDF_WINDOW)
    finally:
        file.seek(0)
    if PDF_HEADER not in head or PDF_END not in tail:
        raise ValidationError(NOT_A_PDF_CONTENT, code="not_pdf")


class ProtectedFieldFile(FieldFile):
    """A stored file whose address is the view ``url_name`` of its row, never a media URL."""

    @property
    def url(self) -> str:
        self._require_file()
        if self.instance.pk is None:
            return ""
        return reverse(self.field.url_name, args=[self.instance.pk])


class ProtectedFileField(models.FileField):
    """A file served only through the view ``url_name`` (which takes the row's id)."""

    attr_class = ProtectedFieldFile

    def __init__(self, *args, url_name: str = "", **kwargs):
        self.url_name = url_name
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["url_name"] = self.url_name
        return name, path, args, kwargs
