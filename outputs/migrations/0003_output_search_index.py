"""On PostgreSQL only: a stored, generated search document for each output, with a GIN index on it.

Ranking needs each matching row's weighted tsvector; computing it from the text at query time made
a search over 10,000 outputs take most of a second, so PostgreSQL keeps it up to date itself
(title weighs A, summary B, body C). Django's model state does not know the column: the library's
search reads it through outputs.search. SQLite has neither column nor index and searches with icontains.
"""

from django.db import migrations

ADD = """
ALTER TABLE outputs_output ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
) STORED;
CREATE INDEX output_search_gin ON outputs_output USING GIN (search_document);
"""
REMOVE = """
DROP INDEX IF EXISTS output_search_gin;
ALTER TABLE outputs_output DROP COLUMN IF EXISTS search_document;
"""


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def remove_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE)


class Migration(migrations.Migration):
    dependencies = [
        ("outputs", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(add_search_document, remove_search_document, elidable=False),
    ]
