#!/usr/bin/env python3
"""Benchmark torhunt reading the same fleet from Azurite (Azure Blob Storage emulator) and from local disk.

Generates (or reuses, as bench/run.py does) a fleet in the Streaming API's storage layout, starts Azurite on a
free port, uploads every hour's PT1H.json as an append blob in 4 MiB blocks, then runs both seed rules with
`torhunt query`, local and az://, interleaved: one untimed warm-up each, then --runs timed runs. Row counts
must agree. Writes its section of bench/RESULTS.md, between the `<!-- azure -->` markers after the notes
marker (bench/run.py keeps everything there).
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py: build, data generation, measuring)

ACCOUNT = "devstoreaccount1"
# Azurite's well-known development key (public; documented by Microsoft).
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
SAS_VERSION = "2021-08-06"
BLOCK_BYTES = 4 * 1024 * 1024
BEGIN, END = "<!-- azure -->", "<!-- /azure -->"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="DeviceNetworkEvents (default: %(default)s)")
    parser.add_argument("--devices", type=int, default=1000, help="devices (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (default: %(default)s)")
    parser.add_argument("--torhunt", metavar="PATH", help="torhunt binary (default: cargo build --release)")
    parser.add_argument("--data-dir", default=str(bench.BENCH_DIR / "data"), help="generated data (default: bench/data)")
    args = parser.parse_args()
    torhunt = Path(shutil.which(args.torhunt) or args.torhunt).resolve() if args.torhunt else bench.build_torhunt()
    data_dir = bench.ensure_data(torhunt, Path(args.data_dir), args.events, args.devices, "storage", set(),
                                 {"disk_notes": []})
    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    telemetry = data_dir / manifest["telemetry_dir"]
    azurite, blob_url = start_azurite()
    try:
        uploaded = upload(blob_url, telemetry)
        rows = []
        for rule, tables in bench.RULE_TABLES.items():
            rows.append(bench_rule(torhunt, data_dir, manifest, rule, tables, blob_url, args.runs))
    finally:
        azurite.kill()
        azurite.wait()
    write_section(args, torhunt, uploaded, rows)
    print(f"Wrote the Azure section of {bench.RESULTS_MD.relative_to(bench.REPO_DIR)}")
    return 0 if all(row["agree"] for row in rows) else 1


def start_azurite() -> tuple[subprocess.Popen, str]:
    program = os.environ.get("AZURITE_BLOB") or shutil.which("azurite-blob") or str(
        Path.home() / ".cache/torhunt/azurite/node_modules/.bin/azurite-blob")
    if not Path(program).is_file():
        raise bench.BenchError("Azurite not found: npm install --prefix ~/.cache/torhunt/azurite azurite")
    process = subprocess.Popen([program, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
                                "--skipApiVersionCheck", "--disableTelemetry", "--silent"],
                               stdout=subprocess.PIPE, text=True, cwd="/tmp")
    for line in process.stdout:
        found = re.search(r"listens on (http://\S+)", line)
        if found:
            return process, found.group(1)
    raise bench.BenchError("Azurite did not start")


def account_sas() -> str:
    expiry = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    to_sign = "\n".join([ACCOUNT, "racwl", "b", "sco", "", expiry, "", "", SAS_VERSION, "", ""])
    signature = base64.b64encode(hmac.new(base64.b64decode(ACCOUNT_KEY), to_sign.encode(), hashlib.sha256).digest())
    return urllib.parse.urlencode({"sv": SAS_VERSION, "ss": "b", "srt": "sco", "sp": "racwl", "se": expiry,
                                   "sig": signature.decode()})


def put(url: str, headers: dict, body: bytes = b"") -> None:
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"x-ms-version": SAS_VERSION, "Content-Length": str(len(body)), **headers})
    with urllib.request.urlopen(request) as response:
        response.read()


def upload(blob_url: str, telemetry: Path) -> dict:
    """Every container folder as a container, every file as an append blob in blocks; bytes and blobs."""
    sas = account_sas()
    account = f"{blob_url}/{ACCOUNT}"
    totals = {"bytes": 0, "blobs": 0}
    for folder in sorted(p for p in telemetry.iterdir() if p.is_dir()):
        put(f"{account}/{folder.name}?restype=container&{sas}", {})
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            key = urllib.parse.quote(file.relative_to(folder).as_posix(), safe="/=")
            url = f"{account}/{folder.name}/{key}"
            put(f"{url}?{sas}", {"x-ms-blob-type": "AppendBlob"})
            with file.open("rb") as data:
                while block := data.read(BLOCK_BYTES):
                    put(f"{url}?comp=appendblock&{sas}", {}, block)
            totals["bytes"] += file.stat().st_size
            totals["blobs"] += 1
    print(f"Uploaded {totals['blobs']} blobs, {totals['bytes'] / 1e6:.0f} MB")
    return totals


def bench_rule(torhunt: Path, data_dir: Path, manifest: dict, rule: str, tables: tuple, blob_url: str,
               runs: int) -> dict:
    local = bench.torhunt_command(torhunt, data_dir, manifest, rule)
    at = local.index("--data")
    remote = local[:at] + [arg for table in tables for arg in
                           ("--data", f"az://insights-logs-advancedhunting-{table.lower()}")] + local[at + 2:]
    emulator = {"AZURE_STORAGE_USE_EMULATOR": "true", "AZURITE_BLOB_STORAGE_URL": blob_url}
    rows, size, _ = bench.input_size(data_dir, manifest, "storage", rule)
    times = {"local": [], "azurite": []}
    counts = {}
    for attempt in range(runs + 1):
        for where, command in (("local", local), ("azurite", remote)):
            run = measure_with(command, emulator if where == "azurite" else {})
            if run["exit_status"] not in (0, 1):
                raise bench.BenchError(f"{where} {rule}: exit {run['exit_status']}: {run['stderr'][-2000:]}")
            counts[where] = bench.torhunt_rows(run)
            if attempt > 0:
                times[where].append(run)
    row = {"rule": rule, "rows": rows, "bytes": size, "agree": counts["local"] == counts["azurite"],
           "returned": counts}
    for where, measured in times.items():
        seconds = statistics.median(r["seconds"] for r in measured)
        row[where] = {"seconds": seconds, "rows_per_s": rows / seconds, "mb_per_s": size / 1e6 / seconds,
                      "rss_mib": max(r["max_rss_kib"] for r in measured) / 1024}
    print(f"{rule}: local {row['local']['seconds']:.2f} s, Azurite {row['azurite']['seconds']:.2f} s, rows {counts}")
    return row


def measure_with(command: list, env: dict) -> dict:
    """bench.measure with `env` added to the environment the process inherits."""
    os.environ.update(env)
    try:
        return bench.measure(command)
    finally:
        for name in env:
            os.environ.pop(name, None)


def build_profile(torhunt: Path) -> str:
    """Which cargo profile built the binary, as far as its path tells."""
    if "release" in torhunt.parts:
        return "release build"
    if "debug" in torhunt.parts:
        return "debug build: rates far below a release build's; compare the two columns, not with run.py"
    return "build profile unknown"


def write_section(args: argparse.Namespace, torhunt: Path, uploaded: dict, rows: list) -> None:
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    lines = [BEGIN, "", "### Azure storage: Azurite against local disk (`bench/azure.py`)", "",
             f"{now}, `{shlex.join(['python3', 'bench/azure.py', *sys.argv[1:]])}`, {os.cpu_count()} cores, "
             f"torhunt `{torhunt}` ({build_profile(torhunt)}). The same storage-layout fleet ({uploaded['blobs']} hourly blobs, "
             f"{uploaded['bytes'] / 1e6:,.0f} MB, uploaded as append blobs in 4 MiB blocks) read from disk and from "
             "Azurite on 127.0.0.1 (`az://`, one container per table); medians of the timed runs. Rows and MB in "
             "are the tables' whole size, as in run.py: the founding rule's `ago(1d)` lists and reads one day of "
             "seven. Azurite is a "
             "single Node.js process on the same two cores: a real storage account is slower to reach and "
             "faster to serve.", "",
             "| rule | rows in | MB in | local s | Azurite s | local rows/s | Azurite rows/s | local MB/s | "
             "Azurite MB/s | peak RSS local / Azurite | rows out agree |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        local, remote = row["local"], row["azurite"]
        lines.append(f"| {row['rule']} | {row['rows']:,} | {row['bytes'] / 1e6:,.0f} | {local['seconds']:.2f} | "
                     f"{remote['seconds']:.2f} | {local['rows_per_s']:,.0f} | {remote['rows_per_s']:,.0f} | "
                     f"{local['mb_per_s']:,.0f} | {remote['mb_per_s']:,.0f} | {local['rss_mib']:.0f} / "
                     f"{remote['rss_mib']:.0f} MiB | {'yes' if row['agree'] else 'NO'} ({row['returned']['local']}) |")
    lines += ["", END]
    bench.write_section(BEGIN, END, "\n".join(lines))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
