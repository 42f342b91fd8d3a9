#!/usr/bin/env python3
"""Benchmark torhunt against DuckDB running the equivalent SQL over the same generated telemetry.

For every size, format and seed rule: torhunt and DuckDB run interleaved, one untimed warm-up each, then
--runs timed runs each, every run in its own process. Row counts must agree with each other and with the
generator's manifest; a disagreement or a failed run is reported in the results and makes the exit status 1.
Writes bench/RESULTS.md (keeping everything after its `<!-- notes -->` marker) and bench/results.json.
"""

import argparse
import csv
import datetime
import importlib.metadata
import io
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
QUERIES_DIR = BENCH_DIR / "queries"
SQL_DIR = BENCH_DIR / "sql"
DUCKDB_HELPER = BENCH_DIR / "duckdb_query.py"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
RESULTS_JSON = BENCH_DIR / "results.json"
NOTES_MARKER = "<!-- notes -->"

# The seed rules and an unselective query, and the Defender tables each one reads.
RULE_TABLES = {
    "tor-connection-established": ("DeviceNetworkEvents",),
    "26be4a5f-7e6f-4c2e-967d-467bddcbb51a": ("DeviceNetworkEvents", "DeviceInfo"),
    "network-actions": ("DeviceNetworkEvents",),
}
# Every layout `torhunt gen --format` writes, in the order they are benchmarked.
FORMATS = ("eventhub", "storage", "csv", "ndjson", "parquet")
# Targets for the torhunt/DuckDB ratio of median wall times per rule and format (issue #14; absent: no target
# set), and for torhunt's peak RSS at 10M events. The unselective query has no ratio target: its time must not
# get worse with the prefilter, which the "torhunt --no-prefilter" runs of every case show.
RATIO_TARGETS = {
    ("tor-connection-established", "eventhub"): 0.1,
    ("tor-connection-established", "csv"): 0.2,
    ("tor-connection-established", "parquet"): 0.5,
    ("26be4a5f-7e6f-4c2e-967d-467bddcbb51a", "eventhub"): 0.3,
    ("26be4a5f-7e6f-4c2e-967d-467bddcbb51a", "csv"): 0.5,
    ("26be4a5f-7e6f-4c2e-967d-467bddcbb51a", "parquet"): 0.5,
}
# The tools timed in every case: torhunt as users run it, DuckDB, and torhunt parsing every record.
TOOLS = ("torhunt", "duckdb", "torhunt_full")
TOOL_NAMES = {"torhunt": "torhunt", "duckdb": "DuckDB", "torhunt_full": "torhunt --no-prefilter"}
RSS_TARGET_KIB = 1024 * 1024
RSS_TARGET_EVENTS = 10_000_000
# Timed runs reading more than this share of their input from disk are named in the summary.
DISK_READ_SHARE_NOTED = 0.01

GEN_DAYS = 7
GEN_SEED = 7
# The generator writes one DeviceInfo row per device and hour, and about one DeviceProcessEvents row per eight
# network events. Bytes per row are measured on its output (with a margin): they size the disk-space check.
PROCESS_EVENTS_PER_NETWORK_EVENT = 0.125
BYTES_PER_ROW = {"eventhub": 1900, "storage": 2000, "csv": 700, "ndjson": 1800, "parquet": 80}
DISK_HEADROOM_BYTES = 2 * 1024**3
PARAMS_FILE = "bench-params.json"


class BenchError(Exception):
    """A setup step failed (build, data generation, disk space): the benchmark cannot run."""


def main() -> int:
    args = parse_args()
    ensure_duckdb()
    torhunt = Path(shutil.which(args.torhunt) or args.torhunt).resolve() if args.torhunt else build_torhunt()
    if not os.access(torhunt, os.X_OK):
        raise BenchError(f"torhunt binary {torhunt} is missing or not executable")
    machine = machine_details(torhunt)
    command = shlex.join(["python3", os.path.relpath(__file__, REPO_DIR), *sys.argv[1:]])
    report = {
        "command": command,
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "runs": args.runs,
        "machine": machine,
        "disk_notes": [],
        "cases": [],
    }
    print(f"torhunt: {torhunt} ({machine['torhunt_version']}); DuckDB {machine['duckdb_version']}")
    data_root = Path(args.data_dir)
    # One format at a time, so that when the disk is short a format's data can go once its cases have run.
    plan = [(events, data_format) for events in args.sizes for data_format in args.formats]
    for step, (events, data_format) in enumerate(plan):
        still_needed = {data_root / str(size) / layout for size, layout in plan[step + 1:]}
        data_dir = ensure_data(torhunt, data_root, events, args.devices, data_format, still_needed, report)
        manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
        for rule in args.rules:
            case = bench_case(torhunt, data_dir, manifest, events, data_format, rule, args.runs,
                              not args.keep_page_cache)
            report["cases"].append(case)
            write_results(report)
    write_results(report)
    failed = [case for case in report["cases"] if not case["check"]["ok"]]
    print(f"\nWrote {RESULTS_MD.relative_to(REPO_DIR)} and {RESULTS_JSON.relative_to(REPO_DIR)}")
    if failed:
        print(f"\nCHECK FAILED in {len(failed)} case(s):", file=sys.stderr)
        for case in failed:
            print(f"  {case_label(case)}: {'; '.join(case['check']['problems'])}", file=sys.stderr)
        return 1
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000", type=parse_sizes,
                        help="comma-separated DeviceNetworkEvents counts to generate (default: %(default)s)")
    parser.add_argument("--formats", default=",".join(FORMATS), type=list_of("formats", FORMATS),
                        help="comma-separated telemetry layouts (default: %(default)s)")
    parser.add_argument("--rules", default=",".join(RULE_TABLES), type=list_of("rules", RULE_TABLES),
                        help="comma-separated queries of bench/queries/ to run (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool and case (default: %(default)s)")
    parser.add_argument("--devices", type=int, default=1000,
                        help="devices in the generated fleet (default: %(default)s)")
    parser.add_argument("--torhunt", metavar="PATH",
                        help="torhunt binary to benchmark (default: build it with cargo build --release)")
    parser.add_argument("--keep-page-cache", action="store_true",
                        help="run each case in the page-cache state the runs before it left, instead of "
                             "emptying the cache and reading the case's input in first (which needs root)")
    parser.add_argument("--data-dir", default=str(BENCH_DIR / "data"),
                        help="where generated telemetry is kept and reused (default: bench/data)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers: {error}") from error
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("give at least one size, each at least 1")
    return sizes


def list_of(what: str, choices: Collection[str]) -> Callable[[str], list[str]]:
    """An argparse type for a comma-separated list of some of `choices`, kept in the order given."""
    def parse(text: str) -> list[str]:
        names = [part.strip() for part in text.split(",") if part.strip()]
        if not names or any(name not in choices for name in names):
            raise argparse.ArgumentTypeError(f"{what} must be among {', '.join(choices)} (got {text!r})")
        return names
    return parse


def ensure_duckdb() -> None:
    try:
        import duckdb  # noqa: F401  (only checks it is importable; the helper script uses it)
    except ImportError:
        print("duckdb is not installed: pip install duckdb")
        subprocess.run([sys.executable, "-m", "pip", "install", "duckdb"], check=True)


def build_torhunt() -> Path:
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", str(Path.home() / ".cache" / "torhunt" / "target"))
    print(f"cargo build --release -p torhunt (CARGO_TARGET_DIR={env['CARGO_TARGET_DIR']})")
    result = subprocess.run(["cargo", "build", "--release", "-p", "torhunt"], cwd=REPO_DIR, env=env)
    if result.returncode != 0:
        raise BenchError(f"cargo build --release -p torhunt failed with exit status {result.returncode}")
    return Path(env["CARGO_TARGET_DIR"]) / "release" / "torhunt"


def machine_details(torhunt: Path) -> dict:
    cpuinfo = read_text_or_empty("/proc/cpuinfo")
    cpu_model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                      if line.startswith("model name")), platform.processor() or "unknown")
    meminfo = read_text_or_empty("/proc/meminfo")
    mem_kib = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    os_release = read_text_or_empty("/etc/os-release")
    os_name = next((line.split("=", 1)[1].strip('"') for line in os_release.splitlines()
                    if line.startswith("PRETTY_NAME=")), platform.system())
    commit = command_output(["git", "-C", str(REPO_DIR), "rev-parse", "HEAD"])
    # --no-optional-locks: only look at the checkout, never refresh its index.
    dirty = command_output(["git", "--no-optional-locks", "-C", str(REPO_DIR), "status", "--porcelain",
                            "--untracked-files=no"])
    return {
        "cpu_model": cpu_model,
        "cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(mem_kib / 1024**2, 1),
        "os": f"{os_name}, Linux {platform.release()}",
        "rustc": command_output(["rustc", "--version"]) or "unknown",
        "duckdb_version": importlib.metadata.version("duckdb"),
        "python": platform.python_version(),
        "torhunt_path": str(torhunt),
        "torhunt_version": command_output([str(torhunt), "--version"]) or "unknown",
        "torhunt_built": datetime.datetime.fromtimestamp(torhunt.stat().st_mtime, datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "git_commit": (commit or "unknown") + (" + uncommitted changes" if dirty else ""),
    }


def read_text_or_empty(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def command_output(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


# ---- data -------------------------------------------------------------------------------------------------


def ensure_data(torhunt: Path, data_root: Path, events: int, devices: int, data_format: str,
                still_needed: set[Path], report: dict) -> Path:
    """The generated telemetry for one size and format, reused when already generated with these parameters.
    `still_needed`: the data folders this run has yet to use, deleted last when the disk is short."""
    data_dir = data_root / str(events) / data_format
    params = {"events": events, "devices": devices, "days": GEN_DAYS, "seed": GEN_SEED, "format": data_format}
    params_path = data_dir / PARAMS_FILE
    if (data_dir / "manifest.json").is_file() and params_path.is_file():
        if json.loads(params_path.read_text(encoding="utf-8")) == params:
            print(f"\nReusing {data_dir}")
            return data_dir
    if data_dir.exists():
        shutil.rmtree(data_dir)
    make_room(data_root, data_dir, estimated_bytes(events, devices, data_format), still_needed, report)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    print(f"\nGenerating {data_dir}")
    command = [str(torhunt), "gen", "--out", str(data_dir), "--format", data_format, "--events", str(events),
               "--devices", str(devices), "--days", str(GEN_DAYS), "--seed", str(GEN_SEED)]
    result = subprocess.run(command)
    if result.returncode != 0:
        raise BenchError(f"{shlex.join(command)} failed with exit status {result.returncode}")
    params_path.write_text(json.dumps(params) + "\n", encoding="utf-8")
    return data_dir


def estimated_bytes(events: int, devices: int, data_format: str) -> int:
    rows = events * (1 + PROCESS_EVENTS_PER_NETWORK_EVENT) + devices * 24 * GEN_DAYS
    return int(rows * BYTES_PER_ROW[data_format])


def make_room(data_root: Path, keep: Path, needed: int, still_needed: set[Path], report: dict) -> None:
    """Delete other generated data until `needed` bytes plus headroom are free: first the other formats of
    this size, then other sizes, in each case data this run is done with (or never uses) before data it still
    needs (which would have to be generated again)."""
    def free_bytes() -> int:
        existing = next(path for path in (data_root, *data_root.parents) if path.exists())
        return shutil.disk_usage(existing).free

    same_size = sorted(path for path in keep.parent.glob("*") if path.is_dir() and path != keep)
    other_sizes = sorted(path for path in data_root.glob("*") if path.is_dir() and path != keep.parent)

    def needed_later(candidate: Path) -> bool:
        return any(path == candidate or candidate in path.parents for path in still_needed)

    for candidate in sorted([*same_size, *other_sizes], key=needed_later):  # stable: keeps the order above
        if free_bytes() >= needed + DISK_HEADROOM_BYTES:
            return
        note = (f"Disk short for {keep} (about {needed / 1e9:.1f} GB needed, {free_bytes() / 1e9:.1f} GB free): "
                f"deleted {candidate}")
        print(note)
        report["disk_notes"].append(note)
        shutil.rmtree(candidate)
    if free_bytes() < needed + DISK_HEADROOM_BYTES:
        raise BenchError(f"not enough disk space for {keep}: about {(needed + DISK_HEADROOM_BYTES) / 1e9:.1f} GB "
                         f"needed (data plus headroom), {free_bytes() / 1e9:.1f} GB free")


def input_size(data_dir: Path, manifest: dict, data_format: str, rule: str) -> tuple[int, int, str]:
    """Rows and bytes of the telemetry files the query reads, and what they are. The relay list (a few
    MB) is not counted."""
    rows, paths, what = input_files(data_dir, manifest, data_format, rule)
    return rows, sum(tree_bytes(path) for path in paths), what


def input_files(data_dir: Path, manifest: dict, data_format: str, rule: str) -> tuple[int, list[Path], str]:
    """Rows of the tables the query reads, the files or folders holding them, and what they are. Event
    Hub files mix every table, so a query reads all of them; the other layouts keep each table in its own
    file or folder."""
    telemetry = data_dir / manifest["telemetry_dir"]
    if data_format == "eventhub":
        return sum(manifest["rows"].values()), [telemetry], "all files: tables are mixed"
    tables = RULE_TABLES[rule]
    rows = sum(manifest["rows"][table] for table in tables)
    if data_format == "storage":
        paths = [telemetry / f"insights-logs-advancedhunting-{table.lower()}" for table in tables]
    elif data_format in ("csv", "ndjson"):
        paths = [telemetry / f"{table}.{data_format}" for table in tables]
    else:
        paths = [telemetry / table for table in tables]
    return rows, paths, " + ".join(tables)


def files_under(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())


def reset_page_cache(paths: list[Path]) -> dict:
    """Puts the machine in the same page-cache state before every case, whatever ran before it: the page
    cache emptied, free memory compacted, then the case's input read in by plain sequential reads (as
    `cat` does), which neither tool under test chooses. How the cache holds a large input (in 2 MiB
    folios or 4 KiB pages, which depends on how fragmented free memory was when it was read in) moved
    the founding rule on 10M-event Event Hub JSON from 1.1 s to 2.1 s with the same binary (RESULTS.md,
    stop 36). Needs root on Linux; otherwise the case runs in whatever state the runs before it left."""
    drop, compact = Path("/proc/sys/vm/drop_caches"), Path("/proc/sys/vm/compact_memory")
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not drop.exists():
        return {"reset": False, "reason": "needs root on Linux"}
    os.sync()
    try:
        drop.write_text("1\n", encoding="ascii")
        if compact.exists():
            compact.write_text("1\n", encoding="ascii")
    except OSError as error:
        return {"reset": False, "reason": str(error)}
    started = time.perf_counter()
    read = 0
    for path in paths:
        for file in files_under(path):
            with open(file, "rb", buffering=0) as handle:
                while chunk := handle.read(1 << 20):
                    read += len(chunk)
    return {"reset": True, "read_bytes": read, "read_seconds": round(time.perf_counter() - started, 3)}


def tree_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def render_sql(data_dir: Path, manifest: dict, data_format: str, rule: str) -> Path:
    """Fill the {{telemetry}}, {{relay_list}} and {{now}} placeholders of bench/sql/<rule>.<format>.sql and
    save the result next to the data, where it can also be run by hand with bench/duckdb_query.py."""
    values = {
        "telemetry": str((data_dir / manifest["telemetry_dir"]).resolve()),
        "relay_list": str((data_dir / manifest["relay_list"]).resolve()),
        "now": manifest["now"],
    }
    template = (SQL_DIR / f"{rule}.{data_format}.sql").read_text(encoding="utf-8")

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise BenchError(f"{SQL_DIR / f'{rule}.{data_format}.sql'}: unknown placeholder {{{{{name}}}}}")
        return values[name].replace("'", "''")  # every placeholder sits inside a SQL string literal

    rendered = data_dir / "sql" / f"{rule}.sql"
    rendered.parent.mkdir(exist_ok=True)
    rendered.write_text(re.sub(r"\{\{(\w+)\}\}", fill, template), encoding="utf-8")
    return rendered


def write_section(begin: str, end: str, section: str) -> None:
    """Puts `section` (which starts with `begin` and ends with `end`) in RESULTS.md: in place of the text between
    those markers, or at the end. The other scripts (azure.py, cluster.py) keep their sections this way, after
    the notes marker, which this script keeps."""
    text = RESULTS_MD.read_text(encoding="utf-8")
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_MD.write_text(text, encoding="utf-8")


# ---- runs -------------------------------------------------------------------------------------------------


def measure(command: list[str]) -> dict:
    """Run one process; its wall time, CPU time, peak RSS (ru_maxrss of that child alone, KiB), page faults,
    bytes read from disk (ru_inblock counts 512-byte blocks, page faults' reads included), output and exit
    status."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
        stdout.seek(0)
        stderr.seek(0)
        return {
            "seconds": seconds,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "max_rss_kib": usage.ru_maxrss,
            "minor_faults": usage.ru_minflt,
            "major_faults": usage.ru_majflt,
            "disk_read_bytes": usage.ru_inblock * 512,
            "exit_status": process.returncode,
            "stdout": stdout.read().decode("utf-8", errors="replace"),
            "stderr": stderr.read().decode("utf-8", errors="replace"),
        }


def torhunt_command(torhunt: Path, data_dir: Path, manifest: dict, rule: str) -> list[str]:
    relay_list = (data_dir / manifest["relay_list"]).resolve()
    return [str(torhunt), "query", "--data", str(data_dir / manifest["telemetry_dir"]), "--now", manifest["now"],
            "--externaldata", f"{manifest['relay_list_url']}={relay_list}", "--format", "csv",
            "--file", str(QUERIES_DIR / f"{rule}.kql")]


def torhunt_rows(run: dict) -> int:
    records = list(csv.reader(io.StringIO(run["stdout"])))
    return max(len(records) - 1, 0)  # minus the header


def duckdb_rows(run: dict) -> tuple[int, float]:
    result = json.loads(run["stdout"])
    return result["rows"], result["query_seconds"]


def target_of(case: dict) -> float | None:
    return RATIO_TARGETS.get((case["rule"], case["format"]))


def bench_case(torhunt: Path, data_dir: Path, manifest: dict, events: int, data_format: str, rule: str,
               runs: int, reset_cache: bool) -> dict:
    input_rows, input_paths, input_what = input_files(data_dir, manifest, data_format, rule)
    input_bytes = sum(tree_bytes(path) for path in input_paths)
    # The generator knows the answer of its rules; other queries are checked tool against tool.
    expected = manifest["expected_rows"].get(rule)
    commands = {
        "torhunt": torhunt_command(torhunt, data_dir, manifest, rule),
        "duckdb": [sys.executable, str(DUCKDB_HELPER), str(render_sql(data_dir, manifest, data_format, rule))],
        "torhunt_full": torhunt_command(torhunt, data_dir, manifest, rule) + ["--no-prefilter"],
    }
    case = {"events": events, "format": data_format, "rule": rule, "input_rows": input_rows,
            "input_bytes": input_bytes, "input_files": input_what, "expected_rows": expected,
            "commands": {tool: shlex.join(command) for tool, command in commands.items()}}
    print(f"\n== {case_label(case)}: {input_rows:,} rows, {input_bytes / 1e6:,.1f} MB ({input_what})")
    case["page_cache_reset"] = (reset_page_cache(input_paths) if reset_cache
                                else {"reset": False, "reason": "--keep-page-cache"})
    tool_runs = {tool: [] for tool in commands}
    # Warm-up (index 0, untimed) then the timed runs, alternating tools so both see the same machine state.
    for index in range(runs + 1):
        for tool, command in commands.items():
            run = measure(command)
            run["warm_up"] = index == 0
            tool_runs[tool].append(run)
            print(f"  {tool:12} {'warm-up' if index == 0 else f'run {index}':8} {run['seconds']:8.3f} s "
                  f"{run['max_rss_kib'] / 1024:8.1f} MiB  {summarize_run(tool, run)}")
    case["page_cache"] = page_cache_state()
    for tool, tool_run_list in tool_runs.items():
        case[tool] = summarize_tool(tool, tool_run_list)
    case["ratio"] = quotient(case["torhunt"]["median_seconds"], case["duckdb"]["median_seconds"])
    # The DuckDB process also starts Python and imports duckdb (about 0.2 s); this ratio leaves that out.
    case["ratio_to_duckdb_query"] = quotient(case["torhunt"]["median_seconds"],
                                             case["duckdb"]["median_query_seconds"])
    case["ratio_to_full_parse"] = quotient(case["torhunt"]["median_seconds"],
                                           case["torhunt_full"]["median_seconds"])
    case["check"] = check_case(case)
    status = "OK" if case["check"]["ok"] else "FAILED: " + "; ".join(case["check"]["problems"])
    print(f"  check: {status}")
    return case


def page_cache_state() -> dict | None:
    """How much the page cache holds and how much of it in 2 MiB folios, from /proc/meminfo (Linux). A map
    of a file cached in 2 MiB folios costs almost no system time; the same file cached in 4 KiB pages costs
    a fault per 16 pages and an entry per page, a third of a large Event Hub hunt (bench/RESULTS.md, stop
    36). Which folios the kernel gives depends on who read the file in and how fragmented free memory was."""
    try:
        text = Path("/proc/meminfo").read_text(encoding="ascii")
    except OSError:
        return None
    fields = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB":
            fields[name] = int(parts[0]) * 1024
    if "Cached" not in fields or "FileHugePages" not in fields:
        return None
    return {"cached_bytes": fields["Cached"], "huge_folio_bytes": fields["FileHugePages"]}


def quotient(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator and denominator else None


def summarize_run(tool: str, run: dict) -> str:
    if run["exit_status"] != 0:
        return f"exit status {run['exit_status']}: {last_line(run['stderr'])}"
    rows = duckdb_rows(run)[0] if tool == "duckdb" else torhunt_rows(run)
    return f"{rows} rows"


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no message)"


def summarize_tool(tool: str, runs: list[dict]) -> dict:
    """Raw per-run numbers and the medians of the timed runs. Failed runs count as errors and are left out
    of the medians."""
    summary = {"runs": [], "errors": [], "stderr": []}
    for run in runs:
        entry = {"warm_up": run["warm_up"], "seconds": round(run["seconds"], 6),
                 "cpu_seconds": round(run["cpu_seconds"], 6), "max_rss_kib": run["max_rss_kib"],
                 "minor_faults": run["minor_faults"], "major_faults": run["major_faults"],
                 "disk_read_bytes": run["disk_read_bytes"], "exit_status": run["exit_status"]}
        if run["exit_status"] == 0:
            if tool == "duckdb":
                entry["rows"], entry["query_seconds"] = duckdb_rows(run)
            else:
                entry["rows"] = torhunt_rows(run)
            if run["stderr"].strip() and run["stderr"].strip() not in summary["stderr"]:
                summary["stderr"].append(run["stderr"].strip()[:2000])
        else:
            summary["errors"].append(f"exit status {run['exit_status']}: {run['stderr'].strip()[-2000:]}")
        summary["runs"].append(entry)
    succeeded = [entry for entry in summary["runs"] if entry["exit_status"] == 0]
    timed = [entry for entry in succeeded if not entry["warm_up"]]

    def median_of(key: str) -> float | None:
        return statistics.median(entry[key] for entry in timed) if timed else None

    summary["median_seconds"] = median_of("seconds")
    summary["median_cpu_seconds"] = median_of("cpu_seconds")
    # How the page cache held the input decides much of a large scan's time (a run that reads from disk, or
    # maps pages cached in small folios, pays for it), so each run's faults and disk reads are kept.
    summary["median_minor_faults"] = median_of("minor_faults")
    summary["median_major_faults"] = median_of("major_faults")
    summary["timed_disk_read_bytes"] = sum(entry["disk_read_bytes"] for entry in timed)
    if tool == "duckdb":
        summary["median_query_seconds"] = median_of("query_seconds")
    # The warm-up does the same work, so it counts for the memory peak.
    summary["peak_rss_kib"] = max((entry["max_rss_kib"] for entry in succeeded), default=None)
    summary["row_counts"] = sorted({entry["rows"] for entry in summary["runs"] if "rows" in entry})
    return summary


def check_case(case: dict) -> dict:
    """Every run of every tool must succeed and return the manifest's expected row count, or where the
    manifest has none, the same row count as every other run."""
    problems = []
    all_counts = sorted({count for tool in TOOLS for count in case[tool]["row_counts"]})
    for tool in TOOLS:
        summary, name = case[tool], TOOL_NAMES[tool]
        problems += [f"{name} failed ({error.splitlines()[0] if error else 'no message'})"
                     for error in summary["errors"][:1]]
        if case["expected_rows"] is None:
            continue
        wrong = [count for count in summary["row_counts"] if count != case["expected_rows"]]
        if wrong:
            problems.append(f"{name} returned {', '.join(map(str, summary['row_counts']))} rows, "
                            f"expected {case['expected_rows']}")
    if case["expected_rows"] is None and len(all_counts) > 1:
        problems.append(f"the tools disagree: {', '.join(map(str, all_counts))} rows")
    return {"ok": not problems, "problems": problems}


def case_label(case: dict) -> str:
    return f"{format_events(case['events'])} events / {case['format']} / {case['rule']}"


def format_events(events: int) -> str:
    for divisor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if events >= divisor and events % divisor == 0:
            return f"{events // divisor}{suffix}"
    return f"{events:,}"


# ---- results ----------------------------------------------------------------------------------------------


def write_results(report: dict) -> None:
    RESULTS_JSON.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    notes = f"{NOTES_MARKER}\n"
    if RESULTS_MD.exists():
        previous = RESULTS_MD.read_text(encoding="utf-8")
        if NOTES_MARKER in previous:
            notes = previous[previous.index(NOTES_MARKER):]
    RESULTS_MD.write_text(results_markdown(report) + "\n## Notes\n\n" + notes, encoding="utf-8")


def results_markdown(report: dict) -> str:
    machine = report["machine"]
    lines = [
        "# torhunt vs DuckDB: benchmark results",
        "",
        "Written by `bench/run.py` (see bench/README.md); everything after the notes marker at the end is kept "
        "across runs.",
        "",
        f"Command: `{report['command']}` (started {report['started']}, {report['runs']} timed run(s) per tool "
        "after one warm-up; medians).",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu_model']}, {machine['cores']} cores available",
        f"- RAM: {machine['ram_gib']} GiB",
        f"- OS: {machine['os']}",
        f"- rustc: {machine['rustc']}",
        f"- DuckDB: {machine['duckdb_version']} (Python {machine['python']})",
        f"- torhunt: {machine['torhunt_version']}, `{machine['torhunt_path']}` built {machine['torhunt_built']}; "
        f"checkout {machine['git_commit']}",
        "",
    ]
    if report["disk_notes"]:
        lines += ["Disk space: " + "; ".join(report["disk_notes"]), ""]
    lines += summary_markdown(report["cases"])
    lines += ["## Cases", "",
              "MB = 10^6 bytes. Input = the telemetry files the query reads (Event Hub files mix every table, so "
              "all of them); the relay list is not counted. Wall time, CPU time and peak RSS are per process, "
              "start-up included; peak RSS is the highest of all runs, warm-up included.", ""]
    for case in report["cases"]:
        lines += case_markdown(case)
    return "\n".join(lines)


def summary_markdown(cases: list[dict]) -> list[str]:
    lines = ["## Summary against the targets", "",
             "| Case | torhunt s | DuckDB s | torhunt/DuckDB | Target | Met | torhunt/DuckDB query only "
             "| --no-prefilter s | torhunt/--no-prefilter | torhunt peak RSS | Rows |",
             "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
    for case in cases:
        target = target_of(case)
        if not case["check"]["ok"]:
            met = "invalid: check failed"
        elif target is None:
            met = "no target"
        elif case["ratio"] is None:
            met = "n/a"
        else:
            met = "yes" if case["ratio"] <= target else "**no**"
        lines.append(f"| {case_label(case)} | {seconds(case['torhunt']['median_seconds'])} "
                     f"| {seconds(case['duckdb']['median_seconds'])} | {ratio(case['ratio'])} "
                     f"| {target_text(target)} | {met} | {ratio(case['ratio_to_duckdb_query'])} "
                     f"| {seconds(case['torhunt_full']['median_seconds'])} | {ratio(case['ratio_to_full_parse'])} "
                     f"| {rss(case['torhunt']['peak_rss_kib'])} | {check_text(case)} |")
    lines += ["", "Ratios are of median wall times of whole processes. \"query only\" divides by DuckDB's "
              "in-process query time instead, leaving out the Python start-up and duckdb import of the helper "
              "(about 0.2 s), which weighs on the small cases. \"--no-prefilter\" is torhunt parsing every "
              "record (the same binary, `--no-prefilter`), timed in the same run: torhunt/--no-prefilter is "
              "what filtering before parsing gains (or, on the unselective query, must not lose).", ""]
    # A case whose answers are wrong says nothing about speed.
    rated = [case for case in cases if case["ratio"] is not None and case["check"]["ok"]
             and target_of(case) is not None]
    met = [case for case in rated if case["ratio"] <= target_of(case)]
    targets = "; ".join(f"{rule} {target_text(target)} on {data_format}"
                        for (rule, data_format), target in RATIO_TARGETS.items())
    lines.append(f"- Speed: {len(met)} of {len(rated)} cases with correct answers and a target meet their ratio "
                 f"target ({targets}).")
    big = [case for case in cases if case["events"] >= RSS_TARGET_EVENTS and case["torhunt"]["peak_rss_kib"]]
    if big:
        worst = max(big, key=lambda case: case["torhunt"]["peak_rss_kib"])
        verdict = "met" if worst["torhunt"]["peak_rss_kib"] < RSS_TARGET_KIB else "**missed**"
        lines.append(f"- Memory: torhunt peak RSS < 1 GiB on 10M events: {verdict} (highest "
                     f"{rss(worst['torhunt']['peak_rss_kib'])}, {case_label(worst)}).")
    else:
        lines.append("- Memory: torhunt peak RSS < 1 GiB on 10M events: not measured (no 10M-event case ran).")
    failed = [case for case in cases if not case["check"]["ok"]]
    if failed:
        lines.append(f"- **CHECK FAILED in {len(failed)} case(s)**: "
                     + "; ".join(f"{case_label(case)}: {', '.join(case['check']['problems'])}" for case in failed))
    else:
        lines.append("- Row counts: torhunt (prefilter on and off), DuckDB and the generator's expected count "
                     "(where it has one) agree in every case.")
    resets = [case.get("page_cache_reset", {}).get("reset", False) for case in cases]
    if all(resets):
        lines.append("- Page cache: every case started from an emptied page cache and compacted memory, its "
                     "input read in by plain reads before the warm-ups (bench/README.md).")
    else:
        lines.append(f"- Page cache: {resets.count(False)} of {len(cases)} case(s) ran in whatever state the "
                     "runs before them left (not reset: see each case).")
    # A megabyte or so is the tools' own files (Python's modules, a binary's pages), not the input.
    from_disk = []
    for case in cases:
        readers = [f"{TOOL_NAMES[tool]} {megabytes_read(case[tool])}" for tool in TOOLS
                   if case[tool]["timed_disk_read_bytes"] > case["input_bytes"] * DISK_READ_SHARE_NOTED]
        if readers:
            from_disk.append(f"{case_label(case)}: {', '.join(readers)}")
    if from_disk:
        lines.append("- Page cache: timed runs read more than 1% of the input from disk (MB, all timed runs "
                     "together) in " + "; ".join(from_disk) + ".")
    else:
        lines.append("- Page cache: no timed run read more than 1% of its input from disk; the inputs stayed "
                     "cached.")
    lines.append("")
    return lines


def case_markdown(case: dict) -> list[str]:
    torhunt, duckdb, full = case["torhunt"], case["duckdb"], case["torhunt_full"]
    megabytes = case["input_bytes"] / 1e6

    def throughput(summary: dict, amount: float) -> str:
        median = summary["median_seconds"]
        return f"{amount / median:,.0f}" if median else "n/a"

    lines = [
        f"### {case_label(case)}",
        "",
        f"Input: {case['input_rows']:,} rows, {megabytes:,.1f} MB ({case['input_files']}). "
        f"torhunt/DuckDB = **{ratio(case['ratio'])}** (target {target_text(target_of(case))}; "
        f"{ratio(case['ratio_to_duckdb_query'])} against DuckDB's query time alone; "
        f"{ratio(case['ratio_to_full_parse'])} against torhunt --no-prefilter). "
        f"Check: {check_text(case)}.{page_cache_text(case)}",
        "",
        "| | torhunt | DuckDB | torhunt --no-prefilter |",
        "|---|---:|---:|---:|",
        f"| median wall s | {seconds(torhunt['median_seconds'])} | {seconds(duckdb['median_seconds'])} "
        f"| {seconds(full['median_seconds'])} |",
        f"| timed runs s | {run_times(torhunt)} | {run_times(duckdb)} | {run_times(full)} |",
        f"| median CPU s (user + sys) | {seconds(torhunt['median_cpu_seconds'])} "
        f"| {seconds(duckdb['median_cpu_seconds'])} | {seconds(full['median_cpu_seconds'])} |",
        f"| DuckDB in-process query s (no start-up) | | {seconds(duckdb['median_query_seconds'])} | |",
        f"| rows/s | {throughput(torhunt, case['input_rows'])} | {throughput(duckdb, case['input_rows'])} "
        f"| {throughput(full, case['input_rows'])} |",
        f"| MB/s | {throughput(torhunt, megabytes)} | {throughput(duckdb, megabytes)} "
        f"| {throughput(full, megabytes)} |",
        f"| peak RSS | {rss(torhunt['peak_rss_kib'])} | {rss(duckdb['peak_rss_kib'])} "
        f"| {rss(full['peak_rss_kib'])} |",
        f"| rows returned | {counts(torhunt)} | {counts(duckdb)} | {counts(full)} |",
        f"| median page faults, minor / major | {faults(torhunt)} | {faults(duckdb)} | {faults(full)} |",
        f"| read from disk in timed runs, MB | {megabytes_read(torhunt)} | {megabytes_read(duckdb)} "
        f"| {megabytes_read(full)} |",
        "",
    ]
    for tool in TOOLS:
        name = TOOL_NAMES[tool]
        for error in case[tool]["errors"][:1]:
            lines += [f"{name} failed:", "", "```", error, "```", ""]
        for message in case[tool]["stderr"][:1]:
            lines += [f"{name} wrote to stderr:", "", "```", message, "```", ""]
    return lines


def check_text(case: dict) -> str:
    if case["check"]["ok"] and case["expected_rows"] is None:
        return f"OK ({counts(case['torhunt'])}, the same from every tool)"
    if case["check"]["ok"]:
        return f"OK ({case['expected_rows']} = expected)"
    return "**CHECK FAILED: " + "; ".join(case["check"]["problems"]) + "**"


def run_times(summary: dict) -> str:
    return ", ".join(f"{run['seconds']:.3f}" + (" (failed)" if run["exit_status"] else "")
                     for run in summary["runs"] if not run["warm_up"]) or "n/a"


def counts(summary: dict) -> str:
    return ", ".join(map(str, summary["row_counts"])) or "n/a"


def page_cache_text(case: dict) -> str:
    reset, state = case.get("page_cache_reset"), case.get("page_cache")
    text = ""
    if reset and reset["reset"]:
        text += (f" Before the warm-ups the page cache was emptied, free memory compacted and the input read "
                 f"in by plain reads ({reset['read_bytes'] / 1e6:,.0f} MB in {reset['read_seconds']:.1f} s).")
    elif reset:
        text += f" The page cache was not reset ({reset['reason']})."
    if state:
        text += (f" After the runs it held {state['cached_bytes'] / 1e9:,.1f} GB, "
                 f"{state['huge_folio_bytes'] / 1e9:,.1f} GB of it in 2 MiB folios.")
    return text


def faults(summary: dict) -> str:
    if summary["median_minor_faults"] is None:
        return "n/a"
    return f"{summary['median_minor_faults']:,.0f} / {summary['median_major_faults']:,.0f}"


def megabytes_read(summary: dict) -> str:
    return f"{summary['timed_disk_read_bytes'] / 1e6:,.0f}"


def seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def target_text(target: float | None) -> str:
    return "none" if target is None else f"<= {target}"


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def rss(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:,.0f} MiB"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench/run.py: {error}", file=sys.stderr)
        sys.exit(2)
