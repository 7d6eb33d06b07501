"""Content that staff enter in Bahasa Indonesia and, beside it, in English.

Each translated field ``<field>`` has a twin ``<field>_en`` (blank allowed); pages read
``obj.localized.<field>``, the text in the active language, which falls back to the
Indonesian where the English is empty (docs/decisions/0014-content-language.md).
"""

from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def english(field_class, source, **options):
    """The English twin of ``source``, optional, named after it."""
    return field_class(
        format_lazy("{} ({})", source.verbose_name, _("bahasa Inggris")),
        blank=True,
        default="",
        help_text=_("Kosongkan untuk menampilkan teks bahasa Indonesia."),
        **options,
    )


class Localized:
    """Read-only view of an object's translated fields in one language."""

    def __init__(self, obj, language: str | None = None):
        self._obj = obj
        self._language = (language or get_language() or "id").split("-")[0]

    def _shown(self, name: str) -> tuple[str, str]:
        obj = self._obj
        if name not in obj.translated_fields:
            raise AttributeError(name)
        if self._language != "id":
            text = getattr(obj, f"{name}_{self._language}", "")
            if text:
                return text, self._language
        return getattr(obj, name), "id"

    def __getattr__(self, name: str) -> str:
        return self._shown(name)[0]

    @property
    def lang(self) -> "_Languages":
        """The language of each field as shown, for the ``lang`` attribute of pages."""
        return _Languages(self)


class _Languages:
    def __init__(self, localized: Localized):
        self._localized = localized

    def __getattr__(self, name: str) -> str:
        return self._localized._shown(name)[1]


class Translated:
    """Mixin of a model with translated fields (listed in ``translated_fields``)."""

    translated_fields: tuple[str, ...] = ()

    @property
    def localized(self) -> Localized:
        return Localized(self)

    def in_language(self, language: str) -> Localized:
        return Localized(self, language)
