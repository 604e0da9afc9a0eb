#!/usr/bin/env bash
# Monthly board pack, unattended: build every site's pack and the whole-centre pack for the latest month
# in the data. Exit code 0 only when every pack built and passed the quality gate; failures are listed
# one per line on stderr, and the batch record says which pack failed and why.
#   usage: monthly-pack.sh PACK_FOLDER OUTPUT_FOLDER
set -euo pipefail
pack="$1"
out="$2"

narrator validate "$pack/report.yaml"
narrator build "$pack/report.yaml" -o "$out" --quiet
narrator batch "$pack/report.yaml" -o "$out/segments" --quiet

# What changed since last month, for the covering email (the newest two run records in the folder).
mapfile -t records < <(ls -1 "$out"/*.run.json 2>/dev/null | sort | tail -n 2)
if [ "${#records[@]}" -eq 2 ]; then
  narrator diff "${records[0]}" "${records[1]}" > "$out/changes.txt"
fi
