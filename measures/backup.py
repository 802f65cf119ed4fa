"""Back-up and restore of the whole database, the same way on SQLite and PostgreSQL.

`write_backup` dumps every table through Django's serializers (as `dumpdata` does) into one
JSON file, gzipped when its name ends in .gz; `restore_backup` puts it back into an empty,
freshly migrated database (as `loaddata` would, but safely):

- One Django-level format for both databases, so a backup of one restores into the other
  and the restore can be tested on both. Database tools (pg_dump, sqlite3 .backup) would
  need two procedures and leave the SQLite one untested against PostgreSQL.
- Rows are written with bulk inserts, which send no signals: restoring writes no history
  rows of its own (plain `loaddata` does: simple_history's many-to-many signal adds rows,
  which on PostgreSQL collide with the history rows being loaded) and no role changes.
- Everything keeps its primary key, the history and its users included. Content types and
  permissions, which `migrate` creates with ids of its own, are referred to by natural
  key; the role groups `migrate` created are replaced by the backed-up ones.
- All in one transaction: a restore that fails leaves the database as empty as it was.
- The backup records the database's migrations; a restore needs the same ones, so the
  file always fits the tables it is written into.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "koersmonitor-backup"
VERSION = 1
# `migrate` creates these itself; rows elsewhere refer to them by natural key.
RECREATED_BY_MIGRATE = {ContentType, Permission}
# Logins in progress are not data: after a restore everyone logs in again.
NOT_BACKED_UP = {"sessions.session"}
# Referred to by natural key, as their ids differ from one database to the next.
BY_NATURAL_KEY = RECREATED_BY_MIGRATE


class BackupError(Exception):
    """Why a backup cannot be restored, in Dutch for the user."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keeps times to the microsecond: DjangoJSONEncoder rounds them to milliseconds, and
    the history orders its rows by their moment."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONSerializer):
    """Django's JSON serializer with natural keys for content types and permissions only.

    Everything else keeps its id: users in particular, because history rows may still
    name a user who has since been deleted, and such a reference has no natural key."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in BY_NATURAL_KEY
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in BY_NATURAL_KEY
        super().handle_m2m_field(obj, field)


def backed_up_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model not in RECREATED_BY_MIGRATE
        and model._meta.label_lower not in NOT_BACKED_UP
    ]


def _copied_m2m_fields(model) -> list:
    """Many-to-many fields stored in Django's own link tables; they travel with their
    model. A link table that is a model of its own is backed up as one."""
    return [
        field
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _rows(model):
    natural = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in BY_NATURAL_KEY
    ]
    queryset = models.QuerySet(model).select_related(*natural).order_by("pk")
    queryset = queryset.prefetch_related(*(field.name for field in _copied_m2m_fields(model)))
    return queryset.iterator(chunk_size=2000)


def applied_migrations() -> dict[str, list[str]]:
    applied = defaultdict(list)
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        applied[app_label].append(name)
    return {app_label: sorted(names) for app_label, names in sorted(applied.items())}


def write_backup(path: Path) -> dict[str, int]:
    """Write the whole database to `path`, as one consistent snapshot. Returns the
    number of rows per model."""
    path = Path(path)
    counts = {}

    def objects():
        for model in backed_up_models():
            counts[model._meta.label_lower] = 0
            for obj in _rows(model):
                counts[model._meta.label_lower] += 1
                yield obj

    header = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now(),
        "database": connection.vendor,
        "migrations": applied_migrations(),
    }
    # Written next to the target and renamed at the end: a backup that fails half way
    # never leaves a file that looks complete.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    outermost = not connection.in_atomic_block
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(temporary, "wt", encoding="utf-8") as stream, transaction.atomic():
            if outermost:
                _read_one_snapshot()
            stream.write(json.dumps(header, cls=ExactJSONEncoder)[:-1] + ', "objects": ')
            BackupSerializer().serialize(objects(), stream=stream, cls=ExactJSONEncoder)
            stream.write(', "counts": ' + json.dumps(counts) + "}\n")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return counts


def _read_one_snapshot() -> None:
    """On PostgreSQL, read all tables as of one moment, so that saves during the backup
    cannot leave an update in the file without its yearly figures. (A transaction on
    SQLite already reads one snapshot.) Must be the transaction's first statement."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def read_backup(path: Path) -> dict:
    path = Path(path)
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rt", encoding="utf-8") as stream:
            content = json.load(stream)
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as error:
        raise BackupError(
            _("%(path)s is geen leesbare back-up: %(error)s") % {"path": path, "error": error}
        ) from error
    parts = {"migrations", "objects", "counts"}
    if not isinstance(content, dict) or content.get("format") != FORMAT or parts - set(content):
        raise BackupError(_("%(path)s is geen back-up van Koersmonitor.") % {"path": path})
    if content.get("version") != VERSION:
        raise BackupError(
            _("Deze back-up heeft versie %(version)s; deze Koersmonitor leest versie %(ours)s.")
            % {"version": content.get("version"), "ours": VERSION}
        )
    return content


@transaction.atomic
def restore_backup(path: Path) -> dict[str, int]:
    """Restore a backup into an empty, freshly migrated database, all or nothing.
    Returns the number of rows per model."""
    content = read_backup(path)
    _check_same_migrations(content["migrations"])
    _check_empty()
    # The role groups `migrate` made give way to the backed-up ones, ids and all.
    Group.objects.all().delete()
    with _triggers_off():
        loaded_models = _insert(content["objects"])
    _check_references(loaded_models)
    _reset_sequences(loaded_models)
    counts = {
        model._meta.label_lower: models.QuerySet(model).count()
        for model in backed_up_models()
        if model._meta.label_lower in content["counts"]
    }
    if counts != content["counts"]:
        raise BackupError(_("De back-up is onvolledig: niet alle rijen zijn teruggezet."))
    return counts


def _check_same_migrations(migrations: dict) -> None:
    if migrations != applied_migrations():
        raise BackupError(
            _(
                "Deze back-up is gemaakt met een andere versie van de database (andere "
                "migraties). Herstel hem met de versie van Koersmonitor waarmee hij is "
                "gemaakt en migreer daarna."
            )
        )


def _check_empty() -> None:
    filled = [
        str(model._meta.verbose_name_plural)
        for model in backed_up_models()
        if model is not Group and models.QuerySet(model).exists()
    ]
    if filled:
        raise BackupError(
            _(
                "De database is niet leeg (%(tables)s). Herstel alleen in een lege database "
                "die net met `manage.py migrate` is aangemaakt."
            )
            % {"tables": ", ".join(filled[:5]) + (", …" if len(filled) > 5 else "")}
        )


@contextmanager
def _triggers_off():
    """On PostgreSQL, skip the database's triggers while rows are inserted.

    A restore puts back rows exactly as they were, those of closed reporting periods
    included; the trigger that refuses any write to a closed period's rows would refuse
    them. `session_replication_role = replica` skips ordinary triggers for this
    transaction only (SET LOCAL), and is set back before anything else runs. It skips the
    triggers that check foreign keys as well, so `_check_references` checks them after.
    It needs a superuser (or, from PostgreSQL 15, a role granted SET on it). Should the
    block fail, rolling back the transaction undoes the setting as well.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        try:
            cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError as error:
            raise BackupError(
                _(
                    "Herstellen op PostgreSQL vraagt een databasegebruiker die "
                    "session_replication_role mag zetten (een superuser): %(error)s"
                )
                % {"error": error}
            ) from error
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _insert(objects: list[dict]) -> list[type[models.Model]]:
    """Insert the rows and their many-to-many links with bulk inserts (no signals)."""
    by_model = defaultdict(list)
    links = defaultdict(list)
    try:
        for deserialized in serializers.deserialize("python", objects):
            obj = deserialized.object
            by_model[type(obj)].append(obj)
            for name, related_ids in (deserialized.m2m_data or {}).items():
                field = obj._meta.get_field(name)
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                links[through] += [
                    through(**{f"{source}_id": obj.pk, f"{target}_id": related_id})
                    for related_id in related_ids
                ]
    except DeserializationError as error:
        raise BackupError(
            _("De back-up bevat een rij die niet past: %(error)s") % {"error": error}
        ) from error
    # Plain querysets: the app's own querysets guard closed periods against changes, and
    # a restore changes nothing, it puts back.
    try:
        for model, rows in [*by_model.items(), *links.items()]:
            models.QuerySet(model).bulk_create(rows)
    except IntegrityError as error:
        raise BackupError(
            _("De back-up past niet in deze database: %(error)s") % {"error": error}
        ) from error
    return [*by_model, *links]


def _check_references(loaded_models) -> None:
    """Every foreign key of a restored row points at a row that exists."""
    for model in loaded_models:
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            targets = models.QuerySet(field.related_model).values(field.target_field.attname)
            # No ordering: a default ordering across the relation would join it away.
            dangling = (
                models.QuerySet(model)
                .order_by()
                .filter(**{f"{field.attname}__isnull": False})
                .exclude(**{f"{field.attname}__in": targets})
                .values_list("pk", field.attname)
                .first()
            )
            if dangling is not None:
                raise BackupError(
                    _(
                        "De back-up klopt niet: %(model)s %(pk)s verwijst naar %(related)s "
                        "%(value)s, die er niet in staat. Er is niets hersteld."
                    )
                    % {
                        "model": model._meta.verbose_name,
                        "pk": dangling[0],
                        "related": field.related_model._meta.verbose_name,
                        "value": dangling[1],
                    }
                )


def _reset_sequences(loaded_models) -> None:
    """Rows kept their ids; new rows must be numbered after them (PostgreSQL sequences)."""
    statements = connection.ops.sequence_reset_sql(no_style(), loaded_models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
