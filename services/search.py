"""Finding services by what citizens type, ranked by relevance, in both languages.

The catalogue is small (tens to a few hundred services), so each process keeps an
inverted index of it in memory and ranks in Python: the same code on PostgreSQL and
on SQLite, and a search costs two small queries (the candidates' ids, then the page's
rows) plus well under a millisecond of ranking. How a service scores
(docs/decisions/0014-content-language.md):

- Text is folded (case, accents, full-width forms), cut into whole words, and common
  synonyms and abbreviations are rewritten to one word on both sides (e-KTP, KTP-el
  and "kartu tanda penduduk" are all ``ktp``; passport is ``paspor``). Indonesian
  fields are stemmed with the Indonesian Snowball stemmer (kelahiran → lahir), English
  ones with the English one.
- A query word scores the weight of the best field it occurs in: the name (and the
  service's code) 10, the agency 6, the description and the product 4, the
  requirements and the procedure 1; a word found only as the beginning of a longer
  word (four letters at least) half that. A service's score is the sum over the
  query's words times the share of the words it matched.
- Services scoring under a third of the best are left out: nearly every service asks
  for a KTP-el, which says nothing about what someone searching "KTP" wants.
"""

import bisect
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.db.models import Case, QuerySet, Value, When

from services.models import Service, clean_search_text
from services.schedule import current_stamp

MAX_WORDS = 8
PREFIX_MIN_LETTERS = 4
RELATIVE_FLOOR = 1 / 3
CHECK_SECONDS = 10  # how stale another process's change may be (the schedule's rule too)

NAME, AGENCY, SUMMARY, DETAIL = 10, 6, 4, 1
# (field, weight, language) of a service; the agency's fields are read through it.
SERVICE_FIELDS = (
    ("name", NAME, "id"),
    ("name_en", NAME, "en"),
    ("description", SUMMARY, "id"),
    ("description_en", SUMMARY, "en"),
    ("product", SUMMARY, "id"),
    ("product_en", SUMMARY, "en"),
    ("requirements", DETAIL, "id"),
    ("requirements_en", DETAIL, "en"),
    ("procedure", DETAIL, "id"),
    ("procedure_en", DETAIL, "en"),
)
AGENCY_FIELDS = (("name", "id"), ("name_en", "en"))

# One word for each group of ways to say the same thing, in either language. The
# variants are written as the folding leaves them (lower case, punctuation as spaces).
SYNONYMS = {
    "ktp": [
        "kartu tanda penduduk elektronik",
        "kartu tanda penduduk",
        "ktp elektronik",
        "e ktp",
        "ektp",
        "ktp el",
        "ktpel",
        "identity card",
        "id card",
    ],
    "sim": ["surat izin mengemudi", "driving licence", "driving license", "driver s license", "drivers license"],
    "stnk": ["surat tanda nomor kendaraan bermotor", "surat tanda nomor kendaraan", "vehicle registration"],
    "pengesahan stnk": ["perpanjang stnk", "perpanjangan stnk", "renew stnk", "stnk renewal"],
    "pkb": ["pajak kendaraan bermotor", "pajak kendaraan", "motor vehicle tax", "vehicle tax"],
    "paspor": ["passport", "pasport", "pasfor"],
    "akta": ["akte"],
    "akta kelahiran": ["birth certificate"],
    "akta kematian": ["death certificate"],
    "akta cerai": ["divorce certificate"],
    "kk": ["kartu keluarga", "family card"],
    "kia": ["kartu identitas anak", "child identity card"],
    "npwp": ["nomor pokok wajib pajak", "taxpayer identification number", "tax id"],
    "skck": ["surat keterangan catatan kepolisian", "police certificate", "police clearance"],
    "pbb": ["pajak bumi dan bangunan", "property tax"],
    "listrik": ["electricity"],
    "nikah": ["menikah", "kawin", "marriage", "wedding"],
}

# Words that say nothing about which service is meant ("cara membuat KTP").
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "apply",
        "at",
        "atau",
        "bagaimana",
        "bikin",
        "buat",
        "cara",
        "dan",
        "di",
        "for",
        "get",
        "how",
        "i",
        "ingin",
        "in",
        "ke",
        "layanan",
        "make",
        "membuat",
        "mengurus",
        "mau",
        "of",
        "on",
        "saya",
        "service",
        "the",
        "to",
        "untuk",
        "urus",
        "want",
        "yang",
    }
)

_STEMMERS = {language: snowballstemmer.stemmer(name) for language, name in (("id", "indonesian"), ("en", "english"))}
_stem_lock = threading.Lock()


def _phrase_pattern() -> tuple[re.Pattern, dict[str, str]]:
    replacement = {variant: word for word, variants in SYNONYMS.items() for variant in variants}
    alternatives = sorted(replacement, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b"), replacement


_PHRASES, _REPLACEMENT = _phrase_pattern()


def fold(text: str) -> str:
    """Lower case without accents, full-width forms or punctuation, synonyms rewritten."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = " ".join(re.findall(r"[a-z0-9]+", text))
    return _PHRASES.sub(lambda match: _REPLACEMENT[match.group(0)], text)


@lru_cache(maxsize=50_000)
def _stem(word: str, language: str) -> str:
    # Snowball's stemmers keep state while they work: one thread at a time.
    with _stem_lock:
        return _STEMMERS[language].stemWord(word)


def _forms(word: str, language: str) -> set[str]:
    """A word as it is matched: itself, and its stem unless it is a synonym's word."""
    if word in SYNONYMS or len(word) < PREFIX_MIN_LETTERS:
        return {word}
    return {word, _stem(word, language)}


@dataclass
class SearchIndex:
    stamp: int
    checked_at: float
    # form of a word → {service id: best weight}
    postings: dict[str, dict[int, int]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # every whole word, sorted, for prefixes

    def add(self, service_id: int, text: str, weight: int, language: str) -> None:
        for word in fold(text).split():
            for form in _forms(word, language):
                posting = self.postings.setdefault(form, {})
                if posting.get(service_id, 0) < weight:
                    posting[service_id] = weight

    def weights(self, word: str) -> dict[int, float]:
        """Each service's weight for one query word: whole words and stems, then
        (at half weight) longer words it begins."""
        found: dict[int, float] = {}
        forms = {word} if word in SYNONYMS else {word, _stem(word, "id"), _stem(word, "en")}
        for form in forms:
            for service_id, weight in self.postings.get(form, {}).items():
                found[service_id] = max(found.get(service_id, 0), weight)
        if len(word) >= PREFIX_MIN_LETTERS:
            start = bisect.bisect_left(self.words, word)
            for longer in self.words[start : start + 200]:
                if not longer.startswith(word):
                    break
                for service_id, weight in self.postings[longer].items():
                    found[service_id] = max(found.get(service_id, 0), weight / 2)
        return found


def _build(stamp: int) -> SearchIndex:
    index = SearchIndex(stamp=stamp, checked_at=time.monotonic())
    names = [name for name, _weight, _language in SERVICE_FIELDS]
    agency_names = [f"agency__{name}" for name, _language in AGENCY_FIELDS]
    for row in Service.objects.values("id", "code", "agency__code", *names, *agency_names):
        service_id = row["id"]
        index.add(service_id, row["code"].replace("-", " "), NAME, "id")
        index.add(service_id, row["agency__code"], AGENCY, "id")
        for name, weight, language in SERVICE_FIELDS:
            index.add(service_id, row[name], weight, language)
        for name, language in AGENCY_FIELDS:
            index.add(service_id, row[f"agency__{name}"], AGENCY, language)
    index.words = sorted(word for word in index.postings if " " not in word)
    return index


_kept: dict[str, SearchIndex] = {}
_build_lock = threading.Lock()


def search_index() -> SearchIndex:
    """This process's index, rebuilt when the catalogue's version moved (checked at most
    every ``CHECK_SECONDS``; a change saved in this process drops it at once)."""
    index = _kept.get("index")
    now = time.monotonic()
    if index is not None and now - index.checked_at < CHECK_SECONDS:
        return index
    stamp = current_stamp()
    if index is not None and index.stamp == stamp:
        index.checked_at = now
        return index
    with _build_lock:
        index = _build(stamp)
        _kept["index"] = index
    return index


def forget_search_index(**_signal) -> None:
    _kept.clear()


def query_words(text: str) -> list[str]:
    """The words of a query that say something, at most ``MAX_WORDS``; the stop words
    only when there is nothing else."""
    words = list(dict.fromkeys(fold(text).split()))[: MAX_WORDS * 2]
    meaningful = [word for word in words if word not in STOP_WORDS]
    return (meaningful or words)[:MAX_WORDS]


def rank(text: str, candidates: set[int]) -> list[int]:
    """The ids among ``candidates`` that match ``text``, most relevant first."""
    words = query_words(text)
    if not words or not candidates:
        return []
    index = search_index()
    scores: dict[int, float] = {}
    matched: dict[int, int] = {}
    for word in words:
        for service_id, weight in index.weights(word).items():
            if service_id in candidates:
                scores[service_id] = scores.get(service_id, 0) + weight
                matched[service_id] = matched.get(service_id, 0) + 1
    ranked = {service_id: score * matched[service_id] / len(words) for service_id, score in scores.items()}
    if not ranked:
        return []
    floor = max(ranked.values()) * RELATIVE_FLOOR
    kept = [service_id for service_id, score in ranked.items() if score >= floor]
    return sorted(kept, key=lambda service_id: -ranked[service_id])


def search_services(services: QuerySet, text: str) -> QuerySet:
    """The services of ``services`` that match ``text``, most relevant first."""
    ids = rank(clean_search_text(text), set(services.values_list("pk", flat=True)))
    if not ids:
        return services.none()
    return services.filter(pk__in=ids).order_by(Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids))))
