"""The library also searches who made an output, their organisations and the question it answers.

Output.search_extra holds that text (kept by Output.save); this fills it for existing outputs and, on
PostgreSQL, rebuilds the stored search document with it (title A, people and question B, summary B, body C).
"""

from django.db import migrations, models

REBUILD = """
DROP INDEX IF EXISTS output_search_gin;
ALTER TABLE outputs_output DROP COLUMN IF EXISTS search_document;
ALTER TABLE outputs_output ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(search_extra, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
) STORED;
CREATE INDEX output_search_gin ON outputs_output USING GIN (search_document);
"""
RESTORE = """
DROP INDEX IF EXISTS output_search_gin;
ALTER TABLE outputs_output DROP COLUMN IF EXISTS search_document;
ALTER TABLE outputs_output ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
) STORED;
CREATE INDEX output_search_gin ON outputs_output USING GIN (search_document);
"""


def fill_search_extra(apps, schema_editor):
    Output = apps.get_model("outputs", "Output")
    PairMember = apps.get_model("pairs", "PairMember")
    for output in Output.objects.select_related("question").iterator():
        members = PairMember.objects.filter(pair_id=output.pair_id, membership__user__credit_on_outputs=True)
        people = [member.membership.user for member in members.select_related("membership__user__organisation")]
        lines = [person.full_name for person in people]
        lines += [person.organisation.name for person in people if person.organisation_id]
        if output.question_id:
            lines.append(output.question.text)
        Output.objects.filter(pk=output.pk).update(search_extra="\n".join(lines))


def rebuild_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REBUILD)


def restore_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE)


class Migration(migrations.Migration):
    dependencies = [
        ("outputs", "0006_output_revision"),
        ("pairs", "0008_indexes_for_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="output",
            name="search_extra",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Who made it, their organisations and the question: for the search.",
            ),
        ),
        migrations.RunPython(fill_search_extra, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(rebuild_search_document, restore_search_document, elidable=False),
    ]
