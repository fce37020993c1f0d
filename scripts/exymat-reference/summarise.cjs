// Reads vitest's --outputJson of wslb-reference.bench.ts and prints the medians wslb's benchmark
// compares with (one JSON object on stdout).
const fs = require('node:fs');
const out = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const find = (re) => {
  for (const file of out.files ?? [])
    for (const g of file.groups ?? []) for (const b of g.benchmarks ?? []) if (re.test(b.name)) return b;
  throw new Error(`no benchmark matching ${re} in ${process.argv[2]}`);
};
const full = find(/^full pass/);
const edit = find(/^edit/);
const round = (x) => Math.round(x * 10) / 10;
process.stdout.write(
  JSON.stringify({
    commit: process.env.EXYMAT_COMMIT,
    node: process.env.EXYMAT_NODE,
    fullPassMs: round(full.median),
    fullPassMinMs: round(full.min),
    fullPassSamples: full.sampleCount,
    editMs: round(edit.median),
    editMinMs: round(edit.min),
    editSamples: edit.sampleCount,
  }) + '\n',
);
