#!/usr/bin/env bash
# Backup drill: dump the database with pg_dump -Fc, restore the dump into a new database, and compare
# the row count of every table. Exits non-zero when a table differs or a step fails.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pw_scale bash bench/backup_drill.sh [--keep]
#
# Run it against the scale database (manage.py load_scale) to rehearse a restore of a full-size
# programme. The restored copy is <name>_restore_drill; it is dropped afterwards unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."

keep=0
[ "${1:-}" = "--keep" ] && keep=1
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to dump}"

# host, port, user, database name from the URL, as the settings read it
read -r host port user name < <(.venv/bin/python - <<'EOF'
import os
import dj_database_url

config = dj_database_url.parse(os.environ["DATABASE_URL"])
if "postgresql" not in config["ENGINE"]:
    raise SystemExit("The backup drill needs a PostgreSQL DATABASE_URL.")
print(config["HOST"] or "127.0.0.1", config["PORT"] or 5432, config["USER"] or "postgres", config["NAME"])
EOF
)
restored="${name}_restore_drill"
connection=(-h "$host" -p "$port" -U "$user")
workdir="$(mktemp -d)"
cleanup() {
    rm -rf "$workdir"
    if [ "$keep" = 0 ]; then dropdb "${connection[@]}" --if-exists "$restored"; fi
}
trap cleanup EXIT

started=$SECONDS
pg_dump "${connection[@]}" -Fc -d "$name" -f "$workdir/pairwise.dump"
dumped=$SECONDS
size=$(du -h "$workdir/pairwise.dump" | cut -f1)
dropdb "${connection[@]}" --if-exists "$restored"
createdb "${connection[@]}" "$restored"
pg_restore "${connection[@]}" --no-owner --exit-on-error -d "$restored" "$workdir/pairwise.dump"
restored_at=$SECONDS

row_counts() {
    local database="$1"
    local tables
    tables=$(psql "${connection[@]}" -d "$database" -Atc \
        "SELECT quote_ident(table_name) FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")
    for table in $tables; do
        printf '%s %s\n' "$table" "$(psql "${connection[@]}" -d "$database" -Atc "SELECT count(*) FROM $table")"
    done
}

row_counts "$name" >"$workdir/original.txt"
row_counts "$restored" >"$workdir/restored.txt"
tables=$(wc -l <"$workdir/original.txt")
rows=$(awk '{ total += $2 } END { print total }' "$workdir/original.txt")

echo "Dumped $name ($size, custom format) in $((dumped - started)) s; restored into $restored in $((restored_at - dumped)) s."
if diff -u "$workdir/original.txt" "$workdir/restored.txt"; then
    echo "Backup drill passed: $tables tables, $rows rows, every count equal."
else
    echo "Backup drill FAILED: the restored database differs (diff above: - original, + restored)." >&2
    exit 1
fi
