#!/usr/bin/env node
// Prints, as one JSON document, every built-in scalar function, aggregate and plugin Kusto.Language
// knows, with its signatures: {"functions": [...], "aggregates": [...], "plugins": [...]}, each
// {"name", "hidden", "signatures": [{"returns", "min", "max", "parameters": [{"name", "kind", "types",
// "argument", "min", "max", "values"}]}]}. Uses the package ../shared/tools/kusto-oracle/install.sh
// installs (KUSTO_ORACLE_DIR, else ~/.cache/kusto-oracle).
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

function list(items) {
  if (!items) return [];
  if (Array.isArray(items)) return items.slice();
  const out = [];
  for (let i = 0; i < items.Count; i++) out.push(items.getItem(i));
  return out;
}
function enumName(e, value) {
  return Object.keys(e).find(k => e[k] === value) || String(value);
}
function symbol(f) {
  return {
    name: f.Name,
    hidden: !!f.IsHidden,
    signatures: list(f.Signatures).map(s => ({
      returns: enumName(S.ReturnTypeKind, s.ReturnKind),
      min: s.MinArgumentCount,
      max: s.MaxArgumentCount,
      parameters: list(s.Parameters).map(p => ({
        name: p.Name,
        kind: enumName(S.ParameterTypeKind, p.TypeKind),
        types: list(p.DeclaredTypes).map(t => t.Name),
        argument: enumName(S.ArgumentKind, p.ArgumentKind),
        min: p.MinOccurring,
        max: p.MaxOccurring,
        values: list(p.Values).map(v => String(v)),
      })),
    })),
  };
}
console.log(JSON.stringify({
  functions: list(K.Functions.All).map(symbol),
  aggregates: list(K.Aggregates.All).map(symbol),
  plugins: list(K.PlugIns.All).map(symbol),
}));
