#!/bin/bash
# A logical backup of taskbus's database: pg_dump in the custom format (-Fc: compressed, one file,
# read back with pg_restore). It is written under a temporary name and renamed only once it is
# complete and its table of contents reads back, so a failed run never counts as a dump; then all
# but the newest $KEEP dumps are removed. libpq reads PGHOST, PGUSER, PGPASSWORD and PGDATABASE.
set -euo pipefail
dir=${BACKUP_DIR:-/backups}
keep=${KEEP:-7}
[ "$keep" -ge 1 ] || { echo "KEEP must be 1 or more, not $keep" >&2; exit 1; }
pattern='^taskbus-[0-9]{8}T[0-9]{6}Z\.dump$'

name="taskbus-$(date -u +%Y%m%dT%H%M%SZ).dump"
rm -f "$dir"/.taskbus-*.partial   # left by a run that was killed
pg_dump --format=custom --file="$dir/.$name.partial"
pg_restore --list "$dir/.$name.partial" > /dev/null
mv "$dir/.$name.partial" "$dir/$name"
echo "wrote $dir/$name ($(wc -c < "$dir/$name") bytes)"

# the names sort by time: keep the newest $keep
ls -1 "$dir" | grep -E "$pattern" | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f "$dir/$old"
  echo "removed $dir/$old"
done
