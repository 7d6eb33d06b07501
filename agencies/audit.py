"""The audit log: who changed what in the administration, with the values before and
after, and who was shown a citizen's full NIK (``AuditEntry``).

- **Every model admin** is audited: ``MallAdminSite.register`` mixes ``AuditedAdminMixin``
  into each admin class it is given (agencies/sites.py), whatever app registers it.
  The mixin records each add, change and delete of the change form, of the list's
  editable columns, of the password page and of the inlines, and every admin action
  with the records it was run on; each entry is written in the transaction of the
  change it tells of.
- **Values** are kept as JSON, ``{field: {"before": …, "after": …}}`` for the fields
  that changed (all fields for an add or a delete). Passwords, keys, secrets and
  tokens are never stored, only that they changed; a NIK (a field named ``nik``, or
  sixteen digits anywhere in a value) is masked as staff see it (``3674••••••••0001``).
- **Append-only**: the database refuses UPDATE and DELETE on the table (PostgreSQL; on
  SQLite UPDATE), and nobody has a permission to add, change or delete it in the
  administration. Only DPMPTSP's administrators read it.

Ticket actions (calls, recalls, completions, transfers …) are recorded with their
officer and counter in each ticket's history (``queueing.models.TicketEvent``), written
in the same transaction; the administration lists them for administrators beside this
log.
"""

import functools
import ipaddress
import json
import re
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.crypto import salted_hmac

from agencies.models import AuditAction, AuditEntry
from mpp_common.log_privacy import HIDDEN as REDACTED
from mpp_common.log_privacy import redact
from mpp_common.throttling import client_address

# Never stored, only that it changed.
SECRET = "[disembunyikan]"  # noqa: S105 - the placeholder shown instead of a secret
_SECRET_WORDS = ("password", "secret", "token")
_SECRET_NAMES = frozenset({"key", "api_key"})
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _is_secret(name: str) -> bool:
    name = name.lower()
    return name in _SECRET_NAMES or any(word in name for word in _SECRET_WORDS)


def mask_nik(nik: str) -> str:
    """A NIK as staff see it: the first and last four digits."""
    return f"{nik[:4]}{'•' * 8}{nik[-4:]}" if len(nik) == 16 else "•" * len(nik)


def _masked_text(text: str) -> str:
    return _NIK.sub(lambda match: mask_nik(match[0]), text)


def _plain(value):
    """``value`` as JSON holds it: files by their name, dates and decimals as text."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except TypeError:
        return str(value)


def _shown(name: str, value):
    """What the log keeps of a field's value: nothing of a secret, a NIK masked."""
    value = _plain(value)
    if _is_secret(name):
        return SECRET if value not in (None, "") else value
    if isinstance(value, str):
        return mask_nik(value) if name == "nik" else _masked_text(value)
    if isinstance(value, list):
        return [_shown("", item) for item in value]
    if isinstance(value, dict):
        return {key: _shown(key, item) for key, item in value.items()}
    return value


def snapshot(obj: models.Model) -> dict:
    """The values of ``obj``'s fields, raw (masked only when written): its columns,
    save those that change by themselves (``auto_now``), and the ids of its
    many-to-many relations as stored."""
    values = {}
    for field in obj._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            continue
        values[field.name] = field.value_from_object(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def stored_snapshot(obj: models.Model) -> dict | None:
    """``snapshot`` of ``obj`` as the database holds it now (before a form's changes)."""
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return None if stored is None else snapshot(stored)


def changes_between(before: dict | None, after: dict | None) -> dict:
    """``{field: {"before": …, "after": …}}`` for each field that differs; an add has
    no ``before``, a delete no ``after``."""
    before, after = before or {}, after or {}
    changes = {}
    for name in [*before, *(name for name in after if name not in before)]:
        old, new = before.get(name), after.get(name)
        if name in before and name in after and old == new:
            continue
        entry = {}
        if name in before:
            entry["before"] = _shown(name, old)
        if name in after:
            entry["after"] = _shown(name, new)
        changes[name] = entry
    return changes


def _secret_values(obj: models.Model) -> list[str]:
    return [
        str(value)
        for field in obj._meta.concrete_fields
        if _is_secret(field.name) and (value := field.value_from_object(obj)) not in (None, "")
    ]


def object_id_of(obj: models.Model, pk=None) -> str:
    """The record's id as the log keeps it; a secret used as the id (an API token's key)
    only as a keyed hash, so its add and its delete still match."""
    pk = obj.pk if pk is None else pk
    if pk is not None and _is_secret(obj._meta.pk.name):
        return "hmac:" + salted_hmac("audit-object-id", str(pk)).hexdigest()[:16]
    return "" if pk is None else str(pk)[:64]


def object_repr(obj: models.Model, pk=None) -> str:
    """How the log names a record: its own name, unless that holds a code, NIK, phone,
    email (a booking's name is its code) or a secret (a token's name is its key), then
    its kind and id."""
    text = str(obj)
    if REDACTED in redact(text) or any(secret in text for secret in _secret_values(obj)):
        return f"{obj._meta.verbose_name} #{object_id_of(obj, pk)}"
    return text[:200]


def _address(request) -> str | None:
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def audit_entry(*, request, action: str, obj: models.Model, pk=None, changes: dict | None = None) -> AuditEntry:
    """An entry by the user of ``request`` about ``obj`` (``pk``: its id when a delete
    took it away), not yet saved."""
    user = request.user
    return AuditEntry(
        actor_id=user.pk if user.is_authenticated else None,
        actor_name=user.get_username() if user.is_authenticated else "",
        address=_address(request),
        action=action,
        model=obj._meta.label_lower,
        object_id=object_id_of(obj, pk),
        object_repr=object_repr(obj, pk),
        changes=changes or {},
    )


def audit_record(*, request, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Write one entry about ``obj``."""
    entry = audit_entry(request=request, action=action, obj=obj, changes=changes)
    entry.save()
    return entry


def audit_nik_viewed(*, request, objects: Iterable[models.Model]) -> int:
    """Record that the user of ``request`` was shown the full NIK of each of ``objects``
    (one entry each, in one statement); the NIK itself is not in the entry."""
    entries = [
        audit_entry(
            request=request,
            action=AuditAction.VIEW_NIK,
            obj=obj,
            changes={"nik": {"shown": mask_nik(getattr(obj, "nik", "") or "")}},
        )
        for obj in objects
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


# The administration ----------------------------------------------------------------------


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _before(request) -> dict:
    """Each record's values before this request changed it, by ``_key``."""
    return request.__dict__.setdefault("_audit_before", {})


def _later(request) -> list:
    """Entries of inline records, written after their parent's."""
    return request.__dict__.setdefault("_audit_inlines", [])


class AuditedAdminMixin:
    """Writes the audit log for a model admin (``MallAdminSite.register`` adds it to
    every one). Django's admin calls these hooks for each add, change and delete; the
    values before a change are read when the record is fetched for the change (the
    form, the delete page, the password page) or, for the list's editable columns,
    from the database just before it is saved."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            _before(request).setdefault(_key(obj), snapshot(obj))
        return obj

    def save_model(self, request, obj, form, change):
        if change and obj.pk is not None and _key(obj) not in _before(request):
            _before(request)[_key(obj)] = stored_snapshot(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        before = {}
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is not None and inline_form.has_changed():
                before[id(instance)] = (instance.pk, stored_snapshot(instance))
        super().save_formset(request, form, formset, change)
        later = _later(request)
        for obj in getattr(formset, "new_objects", []):
            changes = changes_between(None, snapshot(obj))
            later.append(audit_entry(request=request, action=AuditAction.ADD, obj=obj, changes=changes))
        for obj, _fields in getattr(formset, "changed_objects", []):
            _pk, old = before.get(id(obj), (obj.pk, None))
            changes = changes_between(old, snapshot(obj))
            later.append(audit_entry(request=request, action=AuditAction.CHANGE, obj=obj, changes=changes))
        for obj in getattr(formset, "deleted_objects", []):
            pk, old = before.get(id(obj), (obj.pk, None))
            changes = changes_between(old, None)
            later.append(audit_entry(request=request, action=AuditAction.DELETE, obj=obj, pk=pk, changes=changes))

    def _write_later(self, request) -> None:
        entries = _later(request)
        if entries:
            AuditEntry.objects.bulk_create(entries)
            entries.clear()

    def log_addition(self, request, obj, message):
        logged = super().log_addition(request, obj, message)
        audit_record(request=request, action=AuditAction.ADD, obj=obj, changes=changes_between(None, snapshot(obj)))
        self._write_later(request)
        return logged

    def log_change(self, request, obj, message):
        logged = super().log_change(request, obj, message)
        before = _before(request).pop(_key(obj), None)
        audit_record(
            request=request, action=AuditAction.CHANGE, obj=obj, changes=changes_between(before, snapshot(obj))
        )
        self._write_later(request)
        return logged

    def delete_model(self, request, obj):
        changes = changes_between(_before(request).pop(_key(obj), None) or snapshot(obj), None)
        # Named before the delete, which takes the id away.
        entry = audit_entry(request=request, action=AuditAction.DELETE, obj=obj, changes=changes)
        with transaction.atomic():
            super().delete_model(request, obj)
            entry.save()

    def delete_queryset(self, request, queryset):
        entries = [
            audit_entry(
                request=request, action=AuditAction.DELETE, obj=obj, changes=changes_between(snapshot(obj), None)
            )
            for obj in queryset
        ]
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            AuditEntry.objects.bulk_create(entries)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting is recorded by ``delete_queryset``; every other action here.
        return {
            key: (func if name == "delete_selected" else _audited_action(func, name), name, description)
            for key, (func, name, description) in actions.items()
        }


def _audited_action(func, name: str):
    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        # Named before the action runs: it may delete what it acts on (unlocking a login).
        entries = [
            audit_entry(request=request, action=AuditAction.ACTION, obj=obj, changes={"action": {"after": name}})
            for obj in queryset
        ]
        with transaction.atomic():
            response = func(modeladmin, request, queryset)
            AuditEntry.objects.bulk_create(entries)
        return response

    return run


def audited(admin_class: type) -> type:
    """``admin_class`` with the audit log written: itself when it already is."""
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (AuditedAdminMixin, admin_class),
        {
            "__module__": admin_class.__module__,
            "__qualname__": admin_class.__qualname__,
            "__doc__": admin_class.__doc__,
        },
    )
