#!/usr/bin/env python3
"""Run one rendered SQL file in a fresh in-memory DuckDB and print its row count.

bench/run.py starts this once per timed run so that DuckDB, like torhunt, pays its own process start-up and
its peak RSS can be measured per run. The result rows are fetched (not just counted by DuckDB) so that DuckDB
cannot skip computing the projected columns, just as torhunt has to write them out.

Usage: python3 bench/duckdb_query.py RENDERED.sql   (DuckDB uses every core, its default)
Prints one JSON line: {"rows": <row count>, "query_seconds": <time inside DuckDB, without start-up>}.
"""

import argparse
import json
import sys
import time

import duckdb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sql_file", help="SQL with its paths and times filled in (run.py writes these)")
    args = parser.parse_args()

    with open(args.sql_file, encoding="utf-8") as sql_file:
        sql = sql_file.read()
    connection = duckdb.connect(":memory:")
    started = time.perf_counter()
    # execute() runs every statement (macro definitions, then the query) and returns the last one's result.
    row_count = len(connection.execute(sql).fetchall())
    query_seconds = time.perf_counter() - started
    print(json.dumps({"rows": row_count, "query_seconds": round(query_seconds, 6)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
