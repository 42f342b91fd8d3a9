#!/usr/bin/env bash
# Seeds the `parse` fuzz target with real queries: every query of ../shared's hunting corpus and of
# the Kusto documentation cases, one file each, in fuzz/corpus/parse (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_DIR:-$here/../../shared}"
if [ ! -d "$shared" ]; then
  echo "seed.sh: $shared not found (set SHARED_DIR to the shared test material)" >&2
  exit 1
fi
out="$here/corpus/parse"
mkdir -p "$out"
python3 - "$shared" "$out" <<'PY'
import hashlib, json, pathlib, sys
shared, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
queries = [json.loads(line)["kql"]
           for line in (shared / "corpus/m365-hunting-queries.jsonl").read_text().splitlines() if line.strip()]
queries += [case["kql"] for case in json.loads((shared / "conformance/kql-emulator-cases.json").read_text())["cases"]]
for kql in queries:
    data = kql.encode()
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
print(f"seed.sh: {len(queries)} queries written to {out}")
PY
