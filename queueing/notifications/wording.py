"""The default wording of every notification, in Bahasa Indonesia and English.

Staff override any of them in the administration (``MessageTemplate``); these texts are
what is sent while no row exists. Each event knows its own placeholders (``PLACEHOLDERS``);
a template is checked against them when saved (``template_fault``), and one that fails
the check anyway (written before the check existed, or edited in the database) is not
used: the default wording goes out instead (``render``).
"""

import logging
import string
import time

from django.core.cache import cache
from django.utils.translation import gettext

from queueing.models import MESSAGE_TEMPLATES_CACHE_KEY as CACHE_KEY
from queueing.models import MessageTemplate, NotificationEvent, local_wording

E = NotificationEvent
logger = logging.getLogger(__name__)

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (E.BOOKING_CONFIRMED, "id"): (
        "Pemesanan MPP {code}",
        "MPP Tangsel: pemesanan {code} untuk {service} pada {date} pukul {time} terkonfirmasi. "
        "Bawa persyaratan dan datang 30 menit lebih awal. {link}",
    ),
    (E.BOOKING_CONFIRMED, "en"): (
        "MPP booking {code}",
        "MPP Tangsel: booking {code} for {service} on {date} at {time} is confirmed. "
        "Bring the requirements and arrive 30 minutes early. {link}",
    ),
    (E.BOOKING_RESCHEDULED, "id"): (
        "Pemesanan MPP {code} dijadwalkan ulang",
        "MPP Tangsel: pemesanan {code} untuk {service} dipindah ke {date} pukul {time}. {link}",
    ),
    (E.BOOKING_RESCHEDULED, "en"): (
        "MPP booking {code} rescheduled",
        "MPP Tangsel: booking {code} for {service} moved to {date} at {time}. {link}",
    ),
    (E.BOOKING_CANCELLED, "id"): (
        "Pemesanan MPP {code} dibatalkan",
        "MPP Tangsel: pemesanan {code} untuk {service} pada {date} pukul {time} dibatalkan.",
    ),
    (E.BOOKING_CANCELLED, "en"): (
        "MPP booking {code} cancelled",
        "MPP Tangsel: booking {code} for {service} on {date} at {time} is cancelled.",
    ),
    (E.SCHEDULE_CHANGED, "id"): (
        "Jadwal layanan berubah",
        "MPP Tangsel: jadwal {service} pada {date} berubah sehingga slot {time} Anda tidak tersedia. "
        "Silakan pilih jadwal baru: {link}",
    ),
    (E.SCHEDULE_CHANGED, "en"): (
        "Service hours changed",
        "MPP Tangsel: the hours of {service} on {date} changed and your {time} slot is no longer available. "
        "Please choose a new time: {link}",
    ),
    (E.SCHEDULE_RESTORED, "id"): (
        "Pemesanan MPP {code} berlaku lagi",
        "MPP Tangsel: perubahan jadwal {service} pada {date} dibatalkan. Pemesanan {code} pukul {time} "
        "tetap berlaku; tidak perlu memilih jadwal baru. {link}",
    ),
    (E.SCHEDULE_RESTORED, "en"): (
        "MPP booking {code} stands again",
        "MPP Tangsel: the change to the hours of {service} on {date} was undone. Your booking {code} at {time} "
        "stands; there is no need to choose a new time. {link}",
    ),
    (E.REMINDER_EVENING, "id"): (
        "Pengingat pemesanan MPP besok",
        "MPP Tangsel: besok {date} pukul {time} Anda terjadwal untuk {service} (kode {code}). {link}",
    ),
    (E.REMINDER_EVENING, "en"): (
        "Reminder: MPP booking tomorrow",
        "MPP Tangsel: tomorrow {date} at {time} you are booked for {service} (code {code}). {link}",
    ),
    (E.REMINDER_SOON, "id"): (
        "Pengingat pemesanan MPP",
        "MPP Tangsel: jadwal Anda untuk {service} pukul {time} hari ini. Check-in di kios dengan kode {code}.",
    ),
    (E.REMINDER_SOON, "en"): (
        "MPP booking reminder",
        "MPP Tangsel: your {service} slot is today at {time}. Check in at the kiosk with code {code}.",
    ),
    (E.TURN_NEAR, "id"): (
        "Giliran Anda sudah dekat",
        "MPP Tangsel: antrean {number} — tinggal {ahead} orang lagi sebelum giliran Anda. Mohon bersiap. {link}",
    ),
    (E.TURN_NEAR, "en"): (
        "Your turn is near",
        "MPP Tangsel: ticket {number} — {ahead} more before your turn. Please be ready. {link}",
    ),
    (E.CALLED, "id"): (
        "Nomor {number} dipanggil",
        "MPP Tangsel: nomor antrean {number}, silakan ke loket {counter}.",
    ),
    (E.CALLED, "en"): (
        "Number {number} called",
        "MPP Tangsel: ticket {number}, please go to counter {counter}.",
    ),
    (E.SURVEY, "id"): (
        "Bagaimana layanan kami?",
        "MPP Tangsel: terima kasih telah dilayani. Mohon isi survei kepuasan (1 menit): {link}",
    ),
    (E.SURVEY, "en"): (
        "How did we do?",
        "MPP Tangsel: thank you for your visit. Please take our one-minute satisfaction survey: {link}",
    ),
    (E.BOOKING_CODES, "id"): (
        "Kode pemesanan MPP Anda",
        "MPP Tangsel: kode pemesanan Anda: {codes}. Buka pemesanan dengan kode di {link}",
    ),
    (E.BOOKING_CODES, "en"): (
        "Your MPP booking codes",
        "MPP Tangsel: your booking codes: {codes}. Open a booking with its code at {link}",
    ),
    (E.COMPLAINT_ANSWERED, "id"): (
        "Tanggapan atas pengaduan {code}",
        "MPP Tangsel: pengaduan {code} ditanggapi {agency} (status: {status}): {answer} Selengkapnya: {link}",
    ),
    (E.COMPLAINT_ANSWERED, "en"): (
        "Answer to complaint {code}",
        "MPP Tangsel: {agency} answered complaint {code} (status: {status}): {answer} More: {link}",
    ),
    (E.COMPLAINTS_OVERDUE, "id"): (
        "{count} pengaduan melewati batas tanggapan",
        "MPP Tangsel: {count} pengaduan belum ditanggapi melewati batas tanggapan pertama: {complaints}. "
        "Tanggapi di {link}",
    ),
    (E.COMPLAINTS_OVERDUE, "en"): (
        "{count} complaints past their answer deadline",
        "MPP Tangsel: {count} complaints have no answer past the deadline of the first answer: {complaints}. "
        "Answer them at {link}",
    ),
    (E.MOU_EXPIRING, "id"): (
        "MoU {agency} berakhir dalam {days} hari",
        "MPP Tangsel: MoU {number} dengan {agency} berakhir pada {date} ({days} hari lagi). "
        "Mohon siapkan perpanjangannya. Daftar MoU: {link}",
    ),
    (E.MOU_EXPIRING, "en"): (
        "MoU with {agency} ends in {days} days",
        "MPP Tangsel: MoU {number} with {agency} ends on {date} ({days} days from now). "
        "Please prepare its renewal. The MoU register: {link}",
    ),
}


# What each event's message may say: the values its writer fills in (``composing``).
_BOOKING = frozenset({"code", "service", "agency", "date", "time", "early", "link"})
_TICKET = frozenset({"number", "service", "agency", "counter", "link"})
PLACEHOLDERS: dict[str, frozenset[str]] = {
    E.BOOKING_CONFIRMED: _BOOKING,
    E.BOOKING_RESCHEDULED: _BOOKING,
    E.BOOKING_CANCELLED: _BOOKING,
    E.SCHEDULE_CHANGED: _BOOKING,
    E.SCHEDULE_RESTORED: _BOOKING,
    E.REMINDER_EVENING: _BOOKING,
    E.REMINDER_SOON: _BOOKING,
    E.TURN_NEAR: _TICKET | {"ahead"},
    E.CALLED: _TICKET,
    E.SURVEY: _TICKET,
    E.BOOKING_CODES: frozenset({"codes", "link"}),
    E.COMPLAINT_ANSWERED: frozenset({"code", "agency", "status", "answer", "link"}),
    E.COMPLAINTS_OVERDUE: frozenset({"count", "complaints", "link"}),
    E.MOU_EXPIRING: frozenset({"agency", "number", "date", "days", "link"}),
}


def placeholders_text(event: str) -> str:
    """The placeholders of ``event``, as staff write them: "{code}, {date}, …"."""
    return ", ".join("{" + name + "}" for name in sorted(PLACEHOLDERS.get(event, ())))


def template_fault(event: str, template: str) -> str | None:
    """What keeps ``template`` from being filled for ``event``, in the active
    language: a brace without its pair, a name the event does not know, or anything
    after a name (an attribute, an index, a conversion, a format spec); None when it
    is sound. Only plain ``{name}`` placeholders pass, checked with the parser
    ``str.format`` itself uses: ``str.format`` would otherwise reach into the values
    (``{code.__class__}``)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return gettext(
            "Kurung kurawal { atau } tanpa pasangannya; tulis {{ atau }} untuk menampilkan tanda kurung itu."
        )
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS.get(event, ()) or spec or conversion:
            written = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            return gettext(
                "Isian %(placeholder)s tidak dikenal untuk pesan ini. Yang dapat dipakai, tanpa tambahan: %(known)s."
            ) % {"placeholder": written[:60], "known": placeholders_text(event)}
    return None


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


LOCAL_SECONDS = 5


def _staff_wording() -> dict[tuple[str, str], tuple[str, str]]:
    """Every template staff wrote, read once and kept in the shared cache until one
    changes (``MessageTemplate`` clears it on save and delete), and for a few seconds
    in this process too: a booking writes up to three messages, and a trip to the
    cache for each would cost more than the rest of the message."""
    local = local_wording.get("wording")
    if local and local[0] > time.monotonic():
        return local[1]
    wording = cache.get(CACHE_KEY)
    if wording is None:
        wording = {(t.event, t.language): (t.subject, t.text) for t in MessageTemplate.objects.all()}
        cache.set(CACHE_KEY, wording, timeout=300)
    local_wording["wording"] = (time.monotonic() + LOCAL_SECONDS, wording)
    return wording


class TemplateFault(ValueError):
    """The staff's template of a message cannot be filled."""


def _filled(subject: str, text: str, values: dict) -> tuple[str, str]:
    values = _Blank(values)
    return subject.format_map(values), " ".join(text.format_map(values).split())


def staff_render(event: str, language: str, values: dict) -> tuple[str, str]:
    """(subject, text) for an event in a language, from the staff's template or the
    default; ``TemplateFault`` when the staff's template cannot be filled."""
    language = language if language in ("id", "en") else "id"
    staff = _staff_wording().get((event, language))
    if staff is None:
        return _filled(*DEFAULTS[(event, language)], values)
    fault = template_fault(event, staff[0]) or template_fault(event, staff[1])
    if fault:
        raise TemplateFault(
            gettext("Templat pesan %(event)s (%(language)s) tidak dapat dipakai: %(fault)s")
            % {"event": event, "language": language, "fault": fault}
        )
    try:
        return _filled(*staff, values)
    except (ValueError, LookupError, AttributeError) as error:  # what the check above should have caught
        raise TemplateFault(str(error)) from error


def render(event: str, language: str, values: dict) -> tuple[str, str, str]:
    """(subject, text, fault) for an event in a language, from the staff's template;
    when that template cannot be filled, from the default wording, with what was wrong
    in ``fault`` (else ""): a message about a change never stops the change."""
    try:
        return (*staff_render(event, language, values), "")
    except TemplateFault as fault:
        logger.warning("%s; the default wording was sent", fault)
        language = language if language in ("id", "en") else "id"
        default = _filled(*DEFAULTS[(event, language)], values)
        return (*default, f"{fault} {gettext('Dikirim dengan teks bawaan.')}")
