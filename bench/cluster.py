#!/usr/bin/env python3
"""Benchmark torhunt on a Ballista cluster: one executor against two, and local execution, on one machine.

Generates (or reuses, as bench/run.py does) `torhunt gen` fleets, starts three clusters of `torhunt cluster`
processes on 127.0.0.1 (one executor running two tasks at once; two executors running one each; two executors
running two each), then runs each rule with `torhunt query`, locally and with `--cluster` on each cluster,
interleaved: one untimed warm-up each, then --runs timed runs. The CPU time of the cluster's processes is read
from /proc around each run. Answers must agree with the local run (exit status 1 otherwise). Writes its section
of bench/RESULTS.md, between the `<!-- cluster -->` markers after the notes marker (bench/run.py keeps
everything there).
"""

import argparse
import datetime
import json
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py: build, data generation, measuring)

BEGIN, END = "<!-- cluster -->", "<!-- /cluster -->"
# (label, executors, tasks per executor)
CLUSTERS = (("1 executor x 2 tasks", 1, 2), ("2 executors x 1 task", 2, 1), ("2 executors x 2 tasks", 2, 2))
LOCAL = "local (no cluster)"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="10000000:parquet,1000000:storage", type=parse_sets,
                        help="fleets as DeviceNetworkEvents:layout, comma-separated (default: %(default)s)")
    parser.add_argument("--devices", type=int, default=1000, help="devices (default: %(default)s)")
    parser.add_argument("--rules", default="network-actions,tor-connection-established",
                        help="queries of bench/queries, comma-separated (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (default: %(default)s)")
    parser.add_argument("--torhunt", metavar="PATH", help="torhunt binary (default: cargo build --release)")
    parser.add_argument("--data-dir", default=str(bench.BENCH_DIR / "data"), help="generated data (default: bench/data)")
    args = parser.parse_args()
    torhunt = Path(shutil.which(args.torhunt) or args.torhunt).resolve() if args.torhunt else bench.build_torhunt()
    sets = []
    clusters = []
    try:
        for label, executors, tasks in CLUSTERS:
            clusters.append(start_cluster(torhunt, label, executors, tasks))
        for events, data_format in args.sets:
            data_dir = bench.ensure_data(torhunt, Path(args.data_dir), events, args.devices, data_format, set(),
                                         {"disk_notes": []})
            manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
            rows = [bench_rule(torhunt, data_dir, manifest, rule, clusters, args.runs)
                    for rule in args.rules.split(",")]
            sets.append({"events": events, "format": data_format,
                         "bytes": bench.tree_bytes(data_dir / manifest["telemetry_dir"]), "rows": rows})
    finally:
        for cluster in clusters:
            for process in cluster["processes"]:
                process.kill()
                process.wait()
    write_section(torhunt, sets)
    print(f"Wrote the cluster section of {bench.RESULTS_MD.relative_to(bench.REPO_DIR)}")
    return 0 if all(row["agree"] for fleet in sets for row in fleet["rows"]) else 1


def parse_sets(text: str) -> list:
    sets = []
    for item in text.split(","):
        events, _, data_format = item.partition(":")
        if not events.isdigit() or data_format not in bench.FORMATS:
            raise argparse.ArgumentTypeError(f"`{item}` is not EVENTS:LAYOUT (layouts: {', '.join(bench.FORMATS)})")
        sets.append((int(events), data_format))
    return sets


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise bench.BenchError(f"{shlex.join(process.args)} exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise bench.BenchError(f"{shlex.join(process.args)} did not listen on {port} within 60 s")


def start_cluster(torhunt: Path, label: str, executors: int, tasks: int) -> dict:
    """A scheduler and `executors` executors running `tasks` tasks at once each, on 127.0.0.1."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen([str(torhunt), "cluster", "scheduler", "--bind", address], **quiet)
    processes = [scheduler]
    wait_for_port(port, scheduler)
    for _ in range(executors):
        flight, grpc = free_port(), free_port()
        executor = subprocess.Popen([str(torhunt), "cluster", "executor", "--scheduler", address,
                                     "--bind", f"127.0.0.1:{flight}", "--grpc-port", str(grpc),
                                     "--concurrent-tasks", str(tasks)], **quiet)
        processes.append(executor)
        wait_for_port(grpc, executor)
    return {"label": label, "url": f"df://{address}", "processes": processes}


def cpu_seconds(processes: list) -> float:
    """User and system CPU time the processes have used so far."""
    total = 0
    for process in processes:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def run_once(command: list, cluster: dict | None) -> dict:
    processes = cluster["processes"] if cluster else []
    before = cpu_seconds(processes)
    run = bench.measure(command)
    run["cluster_cpu_seconds"] = cpu_seconds(processes) - before
    if run["exit_status"] != 0:
        raise bench.BenchError(f"{shlex.join(command)} failed ({run['exit_status']}): {run['stderr'][-2000:]}")
    return run


def answer(run: dict) -> list:
    """The CSV output's lines, header first, rows sorted (the queries do not order their rows)."""
    lines = run["stdout"].splitlines()
    return lines[:1] + sorted(lines[1:])


def bench_rule(torhunt: Path, data_dir: Path, manifest: dict, rule: str, clusters: list, runs: int) -> dict:
    local_command = bench.torhunt_command(torhunt, data_dir, manifest, rule)
    setups = [(LOCAL, None, local_command)] + [
        (cluster["label"], cluster, local_command + ["--cluster", cluster["url"]]) for cluster in clusters]
    timed = {label: [] for label, _, _ in setups}
    answers = {}
    for attempt in range(runs + 1):
        for label, cluster, command in setups:
            run = run_once(command, cluster)
            print(f"{rule} / {label}: {run['seconds']:.2f} s{' (warm-up)' if attempt == 0 else ''}")
            answers.setdefault(label, answer(run))
            if attempt > 0:
                timed[label].append(run)
    expected = answers[LOCAL]
    results = []
    for label, _, _ in setups:
        seconds = [run["seconds"] for run in timed[label]]
        results.append({
            "label": label,
            "seconds": statistics.median(seconds),
            "runs": seconds,
            "client_cpu": statistics.median(run["cpu_seconds"] for run in timed[label]),
            "cluster_cpu": statistics.median(run["cluster_cpu_seconds"] for run in timed[label]),
            "agree": answers[label] == expected,
        })
    return {"rule": rule, "rows": len(expected) - 1, "results": results,
            "agree": all(result["agree"] for result in results)}


def write_section(torhunt: Path, sets: list) -> None:
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    version = subprocess.run([str(torhunt), "--version"], capture_output=True, text=True).stdout.strip()
    lines = [BEGIN, "", "### Ballista cluster: one executor against two (`bench/cluster.py`)", "",
             f"{now}, `{shlex.join(['python3', 'bench/cluster.py', *sys.argv[1:]])}`, {os.cpu_count()} cores, "
             f"`{version}` at `{torhunt}`. `torhunt query` locally and with `--cluster` on clusters of "
             "`torhunt cluster` processes on this machine, interleaved; medians of the timed runs. Client CPU "
             "is the `torhunt query` process's; cluster CPU that of the scheduler and executors during the "
             "run.", ""]
    for fleet in sets:
        for row in fleet["rows"]:
            lines += table_markdown(fleet, row)
    lines.append(END)
    bench.write_section(BEGIN, END, "\n".join(lines))


def table_markdown(fleet: dict, row: dict) -> list:
    lines = [f"**{fleet['events']:,} events, {fleet['format']} layout ({fleet['bytes'] / 1e9:,.2f} GB), "
             f"{row['rule']}** ({row['rows']} rows out)", "",
             "| setup | median s | timed runs s | client CPU s | cluster CPU s | answer as local |",
             "|---|---:|---|---:|---:|---|"]
    for result in row["results"]:
        runs = ", ".join(f"{s:.2f}" for s in result["runs"])
        lines.append(f"| {result['label']} | {result['seconds']:.2f} | {runs} | {result['client_cpu']:.2f} | "
                     f"{result['cluster_cpu']:.2f} | {'yes' if result['agree'] else 'NO'} |")
    return lines + [""]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
