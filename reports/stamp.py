"""Knowing when the year-end report has changed, cheaply and in every process.

- `report_stamp(cohort)`: one query. The version database triggers raise on any write to a table the report reads
  (REPORT_INPUTS), with what changes by the clock alone: the day (the report is dated) and how many of the
  cohort's events have started (the figures count held events). The preview's cache is keyed by it.
- `report_fingerprint(data)`: a hash of everything a built file shows. A file built by a task is current while the
  report's fingerprint is the one it was built from; it is per cohort, where the version is global.

The triggers are (re)installed after every `migrate` (reports.apps): SQLite drops a table's triggers whenever a
migration rebuilds the table, and a table added to REPORT_INPUTS is covered at the next deploy.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import Cohort, Event

STAMP_TABLE = "reports_reportdatastamp"
TRIGGER = "reports_data_changed"
STAMPED_SETTING = "reports.data_stamped"  # set in a transaction that has raised the version already

# The models whose tables the report reads (tests/reports/test_stamp.py checks them against build_report's SQL),
# with their many-to-many tables. A model added to the report must be added here, or the preview goes stale.
REPORT_INPUTS = [
    "cohorts.Attendance",
    "cohorts.Cohort",
    "cohorts.Event",
    "cohorts.ExternalGuest",
    "cohorts.Finding",
    "cohorts.Insight",
    "cohorts.Membership",
    "cohorts.Question",
    "cohorts.Survey",
    "cohorts.SurveyAnswer",
    "cohorts.SurveyQuestion",
    "cohorts.SurveyResponse",
    "outputs.Output",
    "pairs.Activity",
    "pairs.LearningPair",
    "pairs.PairMember",
    "pairs.StepProgress",
    "programme.ActivityKind",
    "programme.Disconnect",
    "programme.EventKind",
    "programme.Organisation",
    "programme.Programme",
    "programme.RefiningStep",
    "programme.Sector",
    "programme.Side",
    "programme.User",
    "reports.CaseStudy",
    "reports.Reference",
    "reports.ReportFigure",
    "reports.ReportPart",
    "reports.SurveyEvidence",
    "reports.YearEndReport",
]
# Where the report shows only some columns of a table: other updates (a person signing in sets last_login) leave
# the version alone, and the table's many-to-many tables (groups, interests) are not inputs.
REPORT_COLUMNS = {
    "programme.User": ("full_name", "job_title", "organisation_id", "consents_to_be_named", "credit_on_outputs"),
}

# PostgreSQL: a deferred row trigger raises the version as the writing transaction commits, so the stamp row is
# locked only while the transaction commits (never across it, so it cannot deadlock with other locks), and no
# reader sees a new version before the data it stands for. Once per transaction: the first of its row events
# marks the transaction (a transaction-local setting), and the rest, however many rows a bulk write touched,
# return at once.
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{STAMPED_SETTING}', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('{STAMPED_SETTING}', 'yes', true);
    INSERT INTO {STAMP_TABLE} (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = {STAMP_TABLE}.version + 1;
    RETURN NULL;
END $$
"""  # noqa: S608 - the names are constants
POSTGRES_TRIGGER = (
    f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR {{update}} OR DELETE ON {{table}} "
    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
)
# SQLite has one writer at a time: a plain row trigger per kind of write.
SQLITE_TRIGGER = (
    f"CREATE TRIGGER IF NOT EXISTS {TRIGGER}_{{table}}_{{event}} AFTER {{clause}} ON {{table}} BEGIN "  # noqa: S608
    f"INSERT INTO {STAMP_TABLE} (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = version + 1; "
    "END"
)


def report_input_tables() -> dict[str, tuple[str, ...]]:
    """The tables of REPORT_INPUTS, with the many-to-many tables of their fields: each with the columns whose
    updates count (() for all)."""
    tables: dict[str, tuple[str, ...]] = {}
    for label in REPORT_INPUTS:
        model = apps.get_model(label)
        tables[model._meta.db_table] = REPORT_COLUMNS.get(label, ())
        if label not in REPORT_COLUMNS:
            for field in model._meta.local_many_to_many:
                tables[field.remote_field.through._meta.db_table] = ()
    return dict(sorted(tables.items()))


def _update(columns: tuple[str, ...]) -> str:
    return f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"


def install_stamp_triggers(using: str = "default") -> None:
    """Create the triggers on every input table where they are missing; safe to run again."""
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if STAMP_TABLE not in existing:
            return  # reports not migrated yet on this database
        tables = {table: columns for table, columns in report_input_tables().items() if table in existing}
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                [TRIGGER],
            )
            done = {row[0] for row in cursor.fetchall()}
            for table, columns in tables.items():
                if table not in done:
                    cursor.execute(
                        POSTGRES_TRIGGER.format(table=connection.ops.quote_name(table), update=_update(columns))
                    )
        elif connection.vendor == "sqlite":
            for table, columns in tables.items():
                for event, clause in (("insert", "INSERT"), ("update", _update(columns)), ("delete", "DELETE")):
                    cursor.execute(SQLITE_TRIGGER.format(table=table, event=event, clause=clause))


def tables_with_stamp_triggers(using: str = "default") -> set[str]:
    """The tables whose writes raise the version (for the test that every input table has one)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                [TRIGGER],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        names = {name for _, name in cursor.fetchall()}
    return {
        table
        for table in report_input_tables()
        if all(f"{TRIGGER}_{table}_{event}" in names for event in ("insert", "update", "delete"))
    }


def report_stamp(cohort: Cohort) -> str:
    """What the cached preview of the cohort's report is good for: the data version, the day, the events held."""
    from .models import ReportDataStamp

    now = timezone.now()
    held = (
        Event.objects.filter(cohort=OuterRef("pk"), starts_at__lte=now)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    version = ReportDataStamp.objects.order_by().values("version")[:1]
    row = (
        Cohort.objects.filter(pk=cohort.pk)
        .annotate(
            held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)),
            version=Coalesce(Subquery(version), Value(0)),
        )
        .values_list("version", "held")
        .get()
    )
    return f"{cohort.pk}:{row[0]}:{timezone.localdate(now).isoformat()}:{row[1]}"


def report_fingerprint(*parts: Any) -> str:
    """A hash of what a built file shows (each part as text): equal fingerprints, equal files."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()
