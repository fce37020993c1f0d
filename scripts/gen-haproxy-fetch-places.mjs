#!/usr/bin/env node
/**
 * Generates server/src/service/knowledge/generated/haproxy-fetch-places.json: where each HAProxy
 * sample fetch can give a value (the "check places" of the ACL warnings "acl 'X' will never match
 * because it only involves keywords that are incompatible with ..."), read from the HAProxy 2.8.0
 * source archive beside the project (../shared/src/haproxy-2.8.0.tar.gz, extracted to a temporary folder):
 *   - include/haproxy/sample-t.h: the order of the SMP_CKP_* check places;
 *   - src/sample.c: fetch_cap[] (source -> check places where it is valid) and fetch_ckp_names[];
 *   - src/*.c and addons: the sample fetch keyword tables ({ "path", smp_fetch_path, ..., SMP_USE_HRQHV })
 *     and the ACL keyword tables ({ "path_beg", "path", PAT_MATCH_BEG }).
 * A fetch's places are the union of its sources' places (sample_register_fetches()).
 * Facts only: names and bit masks. HAProxy 2.6 has the same tables for the fetches 2.6 knows;
 * test/rules/haproxy-binary.test.ts checks the warnings against 2.6.12.
 *
 * Usage: node scripts/gen-haproxy-fetch-places.mjs [--src <dir>] [--check]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outPath = join(root, 'server/src/service/knowledge/generated/haproxy-fetch-places.json');
const args = process.argv.slice(2);
const si = args.indexOf('--src');
const srcDir = si >= 0 ? args[si + 1] : join(root, '..', 'shared', 'src');
const archive = join(srcDir, 'haproxy-2.8.0.tar.gz');
const prefix = 'haproxy-2.8.0/';

// the source files are read out of one extraction (one pass over the archive)
const tmp = mkdtempSync(join(tmpdir(), 'haproxy-fetch-places-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
execFileSync('tar', [
  '-xzf',
  archive,
  '-C',
  tmp,
  `${prefix}src`,
  `${prefix}addons`,
  `${prefix}include/haproxy/sample-t.h`,
]);
const list = [];
const walk = (dir) => {
  for (const e of readdirSync(join(tmp, dir), { withFileTypes: true }))
    if (e.isDirectory()) walk(`${dir}/${e.name}`);
    else list.push(`${dir}/${e.name}`);
};
walk(`${prefix}src`);
walk(`${prefix}addons`);
list.sort();
const read = (p) => readFileSync(join(tmp, prefix + p), 'utf8');

const sampleT = read('include/haproxy/sample-t.h');
const enumOf = (name) => {
  const m = new RegExp(`enum\\s*\\{([^}]*?)${name}_ENTRIES`, 's').exec(sampleT);
  if (!m) throw new Error(`no ${name} enum`);
  return [...m[1].matchAll(new RegExp(`\\b(${name}_[A-Z0-9_]+)\\s*,`, 'g'))].map((x) => x[1]);
};
const places = enumOf('SMP_CKP');

const sample = read('src/sample.c');
const capBody = /fetch_cap\[SMP_SRC_ENTRIES\]\s*=\s*\{(.*?)\n\};/s.exec(sample)[1];
const cap = {};
for (const m of capBody.matchAll(/\[(SMP_SRC_\w+)\]\s*=\s*\(([^)]*)\)/g)) {
  let mask = 0;
  for (const v of m[2].matchAll(/SMP_VAL_(\w+)/g)) {
    if (/^_+$/.test(v[1])) continue;
    const k = places.indexOf(`SMP_CKP_${v[1]}`);
    if (k < 0) throw new Error(`unknown place ${v[1]}`);
    mask |= 1 << k;
  }
  cap[m[1].replace('SMP_SRC_', '')] = mask;
}
const namesBody = /fetch_ckp_names\[SMP_CKP_ENTRIES\]\s*=\s*\{(.*?)\};/s.exec(sample)[1];
const placeNames = places.map((p) => {
  const m = new RegExp(`\\[${p}\\]\\s*=\\s*"([^"]*)"`).exec(namesBody);
  return m ? m[1] : '';
});

const fetches = {};
const aclKeywords = {};
for (const f of list.filter((p) => /^haproxy-2\.8\.0\/(src|addons)\/.*\.c$/.test(p))) {
  const text = read(f.slice(prefix.length)).replace(/\s+/g, ' ');
  for (const m of text.matchAll(/\{ ?"([\w.,-]+)" ?, ?(\w+) ?,[^{};]*?, ?SMP_T_\w+ ?, ?([A-Z0-9_| ]+?) ?[,}]/g)) {
    let mask = 0;
    for (const u of m[3].matchAll(/SMP_USE_(\w+)/g)) {
      if (!(u[1] in cap)) throw new Error(`unknown source ${u[1]} for ${m[1]}`);
      mask |= cap[u[1]];
    }
    if (!/SMP_USE_/.test(m[3])) continue;
    fetches[m[1]] = mask;
  }
  for (const m of text.matchAll(/\{ ?"([\w.,-]+)" ?, ?"([\w.,-]+)" ?, ?PAT_MATCH_\w+/g)) aclKeywords[m[1]] = m[2];
}
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const out =
  JSON.stringify(
    {
      source:
        'HAProxy 2.8.0: include/haproxy/sample-t.h, src/sample.c fetch_cap[] and fetch_ckp_names[], fetch and ACL keyword tables',
      places: placeNames,
      fetches: sorted(fetches),
      aclKeywords: sorted(aclKeywords),
    },
    null,
    1,
  ) + '\n';
if (args.includes('--check')) {
  if (readFileSync(outPath, 'utf8') !== out) {
    console.error(`${outPath} differs from what the source gives`);
    process.exit(1);
  }
} else writeFileSync(outPath, out);
console.log(
  `${Object.keys(fetches).length} fetches, ${Object.keys(aclKeywords).length} ACL keywords, ${places.length} places`,
);
