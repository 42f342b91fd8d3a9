#!/usr/bin/env node
// Prints Kusto.Language's catalog of built-ins (Functions.All, Aggregates.All, PlugIns.All) as one JSON
// array, for the coverage ledger test (tests/it/coverage.rs). For each built-in it also finds probes:
// up to four small queries that call it in different ways, each accepted by Kusto.Language without
// errors, with the type Kusto.Language gives the call (the probe's column `r`; a plugin's first column),
// so the test can ask torhunt the same questions.
//
// Kusto.Language is loaded as ../shared/tools/kusto-oracle/kql-check.js loads it: from $KUSTO_ORACLE_DIR
// or ~/.cache/kusto-oracle (installed by that folder's install.sh, which .ci/run calls).
'use strict';
const path = require('path');
const fs = require('fs');
const pkgDir = process.env.KUSTO_ORACLE_DIR || path.join(require('os').homedir(), '.cache', 'kusto-oracle');
const mod = path.join(pkgDir, 'node_modules', '@kusto', 'language-service-next');
if (!fs.existsSync(mod)) {
  console.error(`Kusto.Language is not installed in ${pkgDir}`);
  process.exit(2);
}
require(path.join(mod, 'bridge.js'));
require(path.join(mod, 'Kusto.Language.Bridge.js'));
const K = global.Kusto.Language;
const S = K.Symbols;

const list = (items) => {
  const out = [];
  const count = items.Count !== undefined ? items.Count : items.length;
  for (let i = 0; i < count; i++) out.push(items.getItem ? items.getItem(i) : items[i]);
  return out;
};

// One column of each scalar type, as `print` defines them and as the table `T` has them; probes pass
// these as arguments. coverage.rs registers the same `T` (one row of these values).
const COLUMNS = {
  string: ['s', '"a"'],
  long: ['l', 'long(2)'],
  int: ['i', 'int(2)'],
  real: ['r1', 'real(1.5)'],
  decimal: ['m', 'decimal(1.5)'],
  bool: ['b', 'true'],
  datetime: ['d', 'datetime(2024-01-02 03:04:05)'],
  timespan: ['t', 'time(1h)'],
  guid: ['g', 'guid(74be27de-1e4e-49d9-b579-fe0b331d3642)'],
  dynamic: ['y', 'dynamic([1, 2, 3])'],
};
const table = new S.TableSymbol.$ctor4('T', System.Array.init(
  Object.entries(COLUMNS).map(([ty, [name]]) => new S.ColumnSymbol(name, S.ScalarTypes.GetSymbol(ty))),
  S.ColumnSymbol));
const db = new S.DatabaseSymbol.$ctor1('db', System.Array.init([table], S.Symbol), false);
const globals = K.GlobalState.Default.WithDatabase(db);

// Argument types to try for each parameter type kind, most telling first.
const BY_KIND = {
  0: ['string', 'long', 'dynamic', 'real', 'datetime'], // Any
  2: ['string', 'long', 'real', 'datetime', 'dynamic'], // Scalar
  6: ['long', 'int'], // Integer
  7: ['real', 'decimal'], // RealOrDecimal
  8: ['string', 'dynamic'], // StringOrDynamic
  9: ['string', 'dynamic'], // StringOrArray
  10: ['long', 'dynamic'], // IntegerOrArray
  11: ['dynamic'], // DynamicArray
  12: ['bag'], // DynamicBag
  13: ['long', 'real'], // Number
  14: ['long', 'bool'], // NumberOrBool
  15: ['long', 'real', 'timespan'], // Summable
  16: ['long', 'real', 'datetime', 'string'], // Orderable
  17: ['long', 'string', 'datetime'], // NotRealOrBool
  18: ['string', 'long', 'real'], // NotDynamic
  19: ['string', 'long'], // NotBool
  23: ['string', 'long', 'real'], // CommonScalar
  24: ['long', 'real'], // CommonNumber
  25: ['long', 'real', 'timespan'], // CommonSummable
  26: ['long', 'real', 'datetime'], // CommonOrderable
  27: ['string', 'long', 'dynamic'], // CommonScalarOrDynamic
};
const LITERALS = {
  string: '"a"', long: '2', int: 'int(2)', real: '1.5', decimal: 'decimal(1.5)', bool: 'true',
  datetime: 'datetime(2024-01-02 03:04:05)', timespan: '1h', guid: 'guid(74be27de-1e4e-49d9-b579-fe0b331d3642)',
  dynamic: 'dynamic([1, 2, 3])', bag: 'dynamic({"a": 1})',
};

// Probes Kusto.Language's signatures cannot produce: plugins whose arguments are tables or columns of a
// particular shape.
const EXTRA_PROBES = {
  'plugin:bag_unpack': ['T | extend y = dynamic({"a": 1}) | evaluate bag_unpack(y) : (a: long)'],
  'plugin:ipv4_lookup': ['let L = datatable(net: string, name: string)["10.0.0.0/8", "x"]; ' +
    'T | extend ip = "10.1.2.3" | evaluate ipv4_lookup(L, ip, net)'],
  'plugin:ipv6_lookup': ['let L = datatable(net: string, name: string)["fe80::/10", "x"]; ' +
    'T | extend ip = "fe80::1" | evaluate ipv6_lookup(L, ip, net)'],
  'plugin:geo_polygon_lookup': ['let L = datatable(name: string, shape: dynamic)["x", ' +
    'dynamic({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})]; ' +
    'T | extend lon = 0.5, lat = 0.2 | evaluate geo_polygon_lookup(L, shape, lon, lat)'],
  'function:table': ['table("T")'],
};

function quote(value) {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function candidates(parameter) {
  const texts = [];
  for (const value of list(parameter.Values || [])) texts.push(quote(value));
  for (const example of list(parameter.Examples || [])) texts.push(String(example));
  const constant = [8, 9, 10].includes(parameter.ArgumentKind); // Literal, LiteralNotEmpty, Constant
  const types = parameter.TypeKind === 1
    ? list(parameter.DeclaredTypes).map((t) => t.Name)
    : BY_KIND[parameter.TypeKind] || ['long'];
  for (const ty of types) {
    if (!constant && COLUMNS[ty]) texts.push(COLUMNS[ty][0]);
    if (LITERALS[ty]) texts.push(LITERALS[ty]);
  }
  if (parameter.ArgumentKind === 2) texts.unshift('*'); // StarOnly
  if (parameter.ArgumentKind === 3) texts.push('*'); // StarAllowed
  return [...new Set(texts)];
}

// Argument lists for a signature, the likeliest first: the required parameters (each as often as it
// must occur), then with the optional ones too; each varied one and two parameters at a time.
function* argumentLists(signature) {
  const all = list(signature.Parameters);
  const required = all
    .filter((p) => !p.IsOptional)
    .flatMap((p) => Array(Math.max(p.MinOccurring, 1)).fill(p));
  const shapes = [required];
  if (all.some((p) => p.IsOptional)) shapes.push(all.flatMap((p) => Array(Math.max(p.MinOccurring, 1)).fill(p)));
  for (const params of shapes) {
    const options = params.map(candidates);
    const first = options.map((o) => o[0]);
    yield first;
    // Every parameter's k-th candidate (all columns of one type: `around(l, l, l)`).
    const longest = Math.max(0, ...options.map((o) => o.length));
    for (let k = 1; k < longest; k++) yield options.map((o) => o[Math.min(k, o.length - 1)]);
    for (let a = 0; a < options.length; a++) {
      for (const x of options[a].slice(1)) {
        const args = first.slice();
        args[a] = x;
        yield args;
      }
    }
    for (let a = 0; a < options.length; a++) {
      for (let b = a + 1; b < options.length; b++) {
        for (const x of options[a].slice(1)) {
          for (const y of options[b].slice(1)) {
            const args = first.slice();
            args[a] = x;
            args[b] = y;
            yield args;
          }
        }
      }
    }
  }
}

// `print` of the columns a call uses (at least one, so aggregates have a row).
function prelude(args) {
  const used = Object.values(COLUMNS).filter(([name]) => args.some((a) => a === name));
  return 'print ' + (used.length ? used : [COLUMNS.long]).map(([name, value]) => `${name}=${value}`).join(', ');
}

function analyze(query) {
  const code = K.KustoCode.ParseAndAnalyze(query, globals);
  const errors = list(code.GetDiagnostics()).filter((d) => d.Severity === 'Error');
  const result = code.ResultType;
  const columns = result && result.Columns ? list(result.Columns).map((c) => ({ name: c.Name, type: c.Type.Name })) : [];
  return { errors, columns };
}

const MAX_PROBES = 4;
const MAX_TRIES = 30;
// Each tabular candidate is a query of its own.
const MAX_TABULAR_TRIES = 12;

// Scalar calls and aggregates are checked many at a time: one query per round with one column per
// pending built-in (`r12 = f(...)`); an error inside a column's text rejects that candidate only.
function probeInBatches(entries, operator) {
  const pending = entries.map((entry) => ({ entry, tries: 0, lists: signatureLists(entry.symbol) }));
  let round = pending.filter(next);
  while (round.length) {
    const pieces = [];
    let text = `print ${Object.values(COLUMNS).map(([n, v]) => `${n}=${v}`).join(', ')} | ${operator} `;
    round.forEach((p, index) => {
      const piece = `r${index} = ${p.call}`;
      if (index) text += ', ';
      pieces.push([text.length, text.length + piece.length]);
      text += piece;
    });
    const { errors, columns } = analyze(text);
    round.forEach((p, index) => {
      const [start, end] = pieces[index];
      const failed = errors.some((d) => d.Start < end && d.Start + Math.max(d.Length, 1) > start);
      if (!failed) {
        const column = columns.find((c) => c.name === `r${index}`);
        const query = `${prelude(p.args)} | ${operator} r = ${p.call}`;
        if (!p.entry.probes.some((q) => q.query === query)) {
          p.entry.probes.push({ query, type: column ? column.type : null });
        }
      }
    });
    round = round.filter(next);
  }

  function next(p) {
    if (p.entry.probes.length >= MAX_PROBES || p.tries >= MAX_TRIES) return false;
    const item = p.lists.next();
    if (item.done) return false;
    p.tries++;
    p.args = item.value;
    p.call = `${p.entry.name}(${item.value.join(', ')})`;
    return true;
  }
}

function* signatureLists(symbol) {
  // Internal functions (`__cast`) have no documented use to probe: a bare call is refused by name.
  if (symbol.Name.startsWith('__')) return;
  for (const signature of list(symbol.Signatures)) yield* argumentLists(signature);
}

// Plugins and tabular functions, one query each.
function probeOneByOne(entry) {
  let tries = 0;
  for (const args of signatureLists(entry.symbol)) {
    if (entry.probes.length >= MAX_PROBES || ++tries > MAX_TABULAR_TRIES) break;
    const call = `${entry.name}(${args.join(', ')})`;
    const query = entry.family === 'plugin' ? `T | evaluate ${call}` : call;
    const { errors, columns } = analyze(query);
    if (errors.length || entry.probes.some((q) => q.query === query)) continue;
    entry.probes.push({ query, type: columns.length ? columns[0].type : null });
  }
}

const families = [['function', K.Functions.All], ['aggregate', K.Aggregates.All], ['plugin', K.PlugIns.All]];
const entries = [];
for (const [family, symbols] of families) {
  for (const symbol of list(symbols)) {
    entries.push({ family, name: symbol.Name, symbol, probes: [] });
  }
}
for (const entry of entries) {
  for (const query of EXTRA_PROBES[`${entry.family}:${entry.name}`] || []) {
    const { errors, columns } = analyze(query);
    if (errors.length) throw new Error(`Kusto.Language rejects the probe ${query}: ${errors[0].Message}`);
    const column = columns.find((c) => c.name === 'r') || columns[0];
    entry.probes.push({ query, type: column ? column.type : null });
  }
}
const isTabular = (e) => e.family === 'plugin' || e.symbol.IsTabular;
probeInBatches(entries.filter((e) => e.family === 'function' && !isTabular(e)), 'project');
probeInBatches(entries.filter((e) => e.family === 'aggregate'), 'summarize');

entries.filter(isTabular).forEach(probeOneByOne);

const out = entries.map((entry) => ({
  family: entry.family,
  name: entry.name,
  hidden: !!entry.symbol.IsHidden,
  obsolete: !!entry.symbol.IsObsolete,
  alternative: entry.symbol.Alternative || null,
  signatures: list(entry.symbol.Signatures).map((s) => s.DebugText),
  probes: entry.probes,
}));
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
