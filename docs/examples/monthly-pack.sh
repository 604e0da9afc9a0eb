#!/usr/bin/env bash
# Monthly board pack, unattended: build the whole-centre pack and one pack per segment (site, channel or
# client) for the latest month in the data, and write what changed since last month to changes.txt.
# Exit code 0 only when every pack built and passed the quality gate; failures are listed one per line on
# stderr, and the batch record says which pack failed and why.
#
# OUTPUT_FOLDER must be the same folder every month, kept between runs (cron: a folder on the server; CI:
# restored from the last run's artefact): the run records in it are how a pack knows what it said last
# month, for its "since the last report" section and for changes.txt.
#   usage: monthly-pack.sh PACK_FOLDER OUTPUT_FOLDER      (PACK_FOLDER holds report.yaml and its data)
set -euo pipefail
pack="$1"
out="$2"

narrator validate "$pack/report.yaml"
narrator build "$pack/report.yaml" -o "$out" --quiet
narrator batch "$pack/report.yaml" -o "$out/segments" --quiet

# What changed since last month, for the covering email: the newest two run records of the whole-centre
# pack (their names end in the period, so they sort by month).
mapfile -t records < <(ls -1 "$out"/*.run.json 2>/dev/null | sort | tail -n 2)
if [ "${#records[@]}" -eq 2 ]; then
  narrator diff "${records[0]}" "${records[1]}" > "$out/changes.txt"
else
  echo "no earlier run record in $out: nothing to compare this month's pack with (keep $out for next month)" >&2
fi
