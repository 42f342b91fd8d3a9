#!/usr/bin/env python3
"""Runs the examples of the Kusto documentation through torhunt and compares them with the pages.

Every ```kusto block of a page under data-explorer/kusto/query/ of a checkout of
github.com/MicrosoftDocs/dataexplorer-docs that is followed by an output table is run with
`torhunt query --format csv`; the answer is compared with the table, loosely where the pages are
loose (datetimes in any of their printed forms, reals to the digits printed, JSON in any layout,
booleans printed as 1, row order unless the query orders its rows). It finds wrong answers on
examples outside ../shared's emulator cases; each difference is then read by hand: an engine bug
(fixed, with a case in crates/engine/tests/it/doc_cases/), or a page that misprints its output.

    python3 tools/docs_examples.py --docs ~/dataexplorer-docs --torhunt target/debug/torhunt [--only REGEX]

Prints a count per outcome and writes one line per example (id, outcome, detail) to --report.
Not part of the test suite: the documentation is not in the repository and CI has no network.
"""
import argparse
import collections
import concurrent.futures
import csv
import io
import json
import pathlib
import re
import subprocess


def examples(docs):
    """(id, kql, output table rows) for each block followed by a table, ids as page-NN."""
    for page in sorted(pathlib.Path(docs, 'data-explorer/kusto/query').rglob('*.md')):
        lines = page.read_text(encoding='utf-8', errors='replace').split('\n')
        number, i = 0, 0
        while i < len(lines):
            if not re.match(r'^\s*```(kusto|kql)\s*$', lines[i], re.I):
                i += 1
                continue
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith('```')), len(lines))
            kql = '\n'.join(lines[i + 1:end])
            table = None
            for k in range(end + 1, min(end + 40, len(lines) - 1)):
                if lines[k].strip().startswith('```'):
                    break
                if lines[k].strip().startswith('|') and re.match(r'^\|?\s*:?-{2,}', lines[k + 1].strip()):
                    rows = []
                    while k < len(lines) and lines[k].strip().startswith('|'):
                        rows.append(lines[k].strip())
                        k += 1
                    table = rows
                    break
            if table:
                yield f'{page.stem}-{number:02d}', kql, table
            number += 1
            i = end + 1


def cells(row):
    row = row.strip().removeprefix('|')
    if row.endswith('|') and not row.endswith('\\|'):
        row = row[:-1]
    return [c.strip().replace('\\|', '|') for c in re.split(r'(?<!\\)\|', row)]


def normal(value):
    """A printed value in one canonical form."""
    v = re.sub(r'<br\s*/?>', '', value).strip().strip('`').strip()
    low = v.lower()
    if low in ('', 'null', '(null)'):
        return ''
    if low in ('true', 'false'):
        return low
    m = re.match(r'^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*Z?$', v)
    if m:
        fraction = (m.group(7) or '').ljust(7, '0')[:7]
        return f'{m[1]}-{m[2]}-{m[3]}T{int(m[4] or 0):02d}:{m[5] or "00"}:{m[6] or "00"}.{fraction}'
    if re.match(r'^-?[\d,]*\.?\d+(e[-+]?\d+)?$', low):
        return ('number', float(v.replace(',', '')))
    if v[:1] in '{[':
        try:
            return ('json', json.dumps(json.loads(v), sort_keys=True))
        except ValueError:
            pass
    return v


def same(answer, page):
    if isinstance(answer, tuple) and isinstance(page, tuple) and answer[0] == page[0] == 'number':
        a, p = answer[1], page[1]
        return a == p or abs(a - p) <= max(1e-6, 1e-4 * max(abs(a), abs(p)))
    return answer == page or (answer == 'true' and page == ('number', 1.0)) or (
        answer == 'false' and page == ('number', 0.0))


def compare(torhunt, example):
    name, kql, table = example
    try:
        run = subprocess.run([torhunt, 'query', '--format', 'csv', '--file', '-'], input=kql,
                             capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return name, 'timeout', ''
    if run.returncode != 0:
        error = ' '.join(run.stderr.split())[:300]
        unknown = re.search(r'unknown table|no table named|does not refer', error, re.I)
        return name, 'no-sample-data' if unknown else 'refused', error
    answer = list(csv.reader(io.StringIO(run.stdout)))
    page = [cells(r) for r in table]
    page = [page[0]] + page[2:]
    if not answer:
        return name, 'differs', 'no output'
    if [h.strip() for h in answer[0]] != page[0]:
        return name, 'header', f'{answer[0]} where the page has {page[0]}'
    got = [[normal(c) for c in r] for r in answer[1:]]
    want = [[normal(c) for c in r] for r in page[1:]]
    if len(got) != len(want):
        return name, 'differs', f'{len(got)} rows where the page has {len(want)}'
    equal = lambda a, b: len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if re.search(r'\b(sort|order|top|serialize)\b', kql):
        bad = [i for i, (a, b) in enumerate(zip(got, want)) if not equal(a, b)]
    else:
        rest, bad = list(want), []
        for i, row in enumerate(got):
            hit = next((j for j, w in enumerate(rest) if equal(row, w)), None)
            bad.append(i) if hit is None else rest.pop(hit)
    if bad:
        return name, 'differs', f'{len(bad)} rows, e.g. torhunt {answer[1 + bad[0]]}'
    return name, 'agrees', ''


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--docs', required=True, help='a checkout of MicrosoftDocs/dataexplorer-docs')
    parser.add_argument('--torhunt', default='target/debug/torhunt')
    parser.add_argument('--only', help='a regex the example ids must match')
    parser.add_argument('--report', default='docs-examples.tsv')
    parser.add_argument('--jobs', type=int, default=2)
    args = parser.parse_args()
    chosen = [e for e in examples(args.docs) if not args.only or re.search(args.only, e[0])]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda e: compare(args.torhunt, e), chosen))
    with open(args.report, 'w', encoding='utf-8') as report:
        for name, outcome, detail in results:
            report.write(f'{name}\t{outcome}\t{detail}\n')
    print(dict(collections.Counter(outcome for _, outcome, _ in results)))


if __name__ == '__main__':
    main()
