/**
 * The fix-safety sweep (issue 23): fixes applied one at a time, each on a fresh copy of its input,
 * over the rule fixtures, the examples and the shared corpus, in line-end, indentation, BOM and
 * comment variants of every file. For each fix:
 * - its edits lie inside the document (every position inside its line), none overlapping;
 * - applied, every line it does not touch is still there byte for byte, every `#` comment too;
 *   it writes the file's own line break and leaves a BOM first;
 * - it is idempotent: after it, the same finding (same rule, same message up to line numbers) with
 *   the same fix is offered once fewer — not again;
 * - a file `nginx -t` / `haproxy -c` accepted before the fix it accepts after (binaries needed).
 * Every fix of every input is too many for CI: the (input, variant) pairs are shuffled with a
 * fixed seed (each with a heartbeat setting: the default, 5 s or 40 min) and fixes are taken from
 * them, at most PER_PAIR each, until SAMPLE fixes; the binary
 * check takes the first BINARY_SAMPLE of those on nginx/HAProxy inputs the binary accepted.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, initAwsParsers } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import type { Finding, Fix } from '../../server/src/service/types';
import { fixturePath, languageOfFixture, type Lang } from '../helpers/analyze';
import { CORPUS, corpusRows } from '../helpers/corpus';
import { gate, need, REPO } from '../helpers/needs';
import { seededRandom } from '../helpers/random';
import { validateHaproxy, validateNginx } from '../live/harness';

const SEED = 23;
const SAMPLE = 400;
const PER_PAIR = 3;
const BINARY_SAMPLE = 80;

interface Input {
  origin: string;
  system: Lang;
  root: string;
  files: Map<string, string>;
  /** The heartbeat setting it is checked with (undefined: the default). */
  heartbeat?: string;
}

/** The heartbeat settings a pair is checked with: the default, a short one, one over 30 minutes. */
const HEARTBEATS = [undefined, '5s', '40m'];
const HEARTBEAT_MS: Record<string, number> = { '5s': 5_000, '40m': 2_400_000 };

type Variant = 'lf' | 'crlf' | 'cr' | 'tabs' | 'bom' | 'comments';
const VARIANTS: Variant[] = ['lf', 'crlf', 'cr', 'tabs', 'bom', 'comments'];

/** The variants that make sense for a system (YAML refuses tabs; JSON has no comments...). */
function variantsOf(system: Lang): Variant[] {
  return system === 'aws' ? ['lf', 'crlf'] : VARIANTS;
}

function variantText(text: string, v: Variant): string {
  const lf = text.replace(/\r\n?/g, '\n');
  switch (v) {
    case 'lf':
      return text;
    case 'crlf':
      return lf.replace(/\n/g, '\r\n');
    case 'cr':
      return lf.replace(/\n/g, '\r');
    case 'tabs':
      return lf.replace(/^( +)/gm, (m) => '\t'.repeat(Math.ceil(m.length / 4)));
    case 'bom':
      return text.startsWith('\ufeff') ? text : '\ufeff' + text;
    case 'comments':
      // a trailing comment on every indented line that has none
      return lf.replace(/^([ \t]+[^#\s][^#\n]*)$/gm, '$1 # note');
  }
}

function withVariant(input: Input, v: Variant, heartbeat: string | undefined): Input {
  const files = new Map<string, string>();
  for (const [p, t] of input.files) files.set(p, variantText(t, v));
  return { ...input, origin: `${input.origin} [${v}, heartbeat ${heartbeat ?? 'default'}]`, files, heartbeat };
}

const services = new Map(
  HEARTBEATS.map((h) => [h, createLanguageService(h ? { heartbeatMs: HEARTBEAT_MS[h], heartbeatSet: true } : {})]),
);

function analyze(input: Input): Finding[] {
  const service = services.get(input.heartbeat)!;
  const fsys = new MemoryFileSystem(Object.fromEntries(input.files));
  if (input.system === 'nginx') return service.analyzeNginx(input.root, fsys).findings;
  if (input.system === 'haproxy')
    return service.analyzeHaproxy([{ path: input.root, text: input.files.get(input.root)! }]).findings;
  return service
    .analyzeAws([...input.files].map(([p, text]) => ({ path: p, text })))
    .findings.filter((f) => !f.file || input.files.has(f.file));
}

// ------------------------------------------------------------------------------------------ inputs

const FIXTURES = path.join(REPO, 'test', 'rules', 'fixtures');

function fixtureInputs(): Input[] {
  const out: Input[] = [];
  for (const system of fs.readdirSync(FIXTURES).sort())
    for (const rule of fs.readdirSync(path.join(FIXTURES, system)).sort())
      for (const file of fs.readdirSync(path.join(FIXTURES, system, rule)).sort()) {
        if (file.endsWith('.txt') || /\.fixed\./.test(file)) continue;
        const lang = languageOfFixture(file);
        const root =
          fixturePath(lang, file) ?? (lang === 'nginx' ? '/etc/nginx/nginx.conf' : '/etc/haproxy/haproxy.cfg');
        const text = fs.readFileSync(path.join(FIXTURES, system, rule, file), 'utf8');
        out.push({ origin: `fixtures/${system}/${rule}/${file}`, system: lang, root, files: new Map([[root, text]]) });
      }
  return out;
}

function filesUnder(dir: string, keep: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out.sort();
}

function exampleInputs(): Input[] {
  const ex = path.join(REPO, 'examples');
  const read = (ps: string[]) => new Map(ps.map((p) => [p, fs.readFileSync(p, 'utf8')]));
  const nginxFiles = filesUnder(path.join(ex, 'nginx'), () => true);
  const tf = filesUnder(path.join(ex, 'aws', 'terraform'), (p) => p.endsWith('.tf'));
  const out: Input[] = [
    { origin: 'examples/nginx', system: 'nginx', root: path.join(ex, 'nginx', 'nginx.conf'), files: read(nginxFiles) },
    {
      origin: 'examples/haproxy',
      system: 'haproxy',
      root: path.join(ex, 'haproxy', 'haproxy.cfg'),
      files: read([path.join(ex, 'haproxy', 'haproxy.cfg')]),
    },
    { origin: 'examples/aws/terraform', system: 'aws', root: tf[0], files: read(tf) },
  ];
  for (const p of filesUnder(path.join(ex, 'aws', 'cloudformation'), (f) => /\.(ya?ml|json)$/.test(f)))
    out.push({ origin: path.relative(REPO, p), system: 'aws', root: p, files: read([p]) });
  return out;
}

function corpusInputs(): Input[] {
  const out: Input[] = [];
  for (const kind of ['nginx', 'haproxy'] as const)
    for (const row of corpusRows(kind)) {
      const p = path.join(CORPUS, row.path);
      if (!fs.existsSync(p)) continue;
      out.push({
        origin: `corpus/${row.path}`,
        system: kind,
        root: p,
        files: new Map([[p, fs.readFileSync(p, 'utf8')]]),
      });
    }
  return out;
}

// ------------------------------------------------------------------------------------------ checks

interface Case {
  input: Input;
  finding: Finding;
  fix: Fix;
  before: Finding[];
}

const BREAK = /\r\n|\r|\n/;

/** Message with line numbers left out (a fix that adds lines moves them). */
const normal = (m: string) => m.replace(/\d+/g, 'N');
const key = (f: Finding, fix: Fix) => `${f.code}\0${normal(f.message)}\0${fix.title}`;

function count(findings: Finding[], k: string, texts: Map<string, string>): number {
  let n = 0;
  for (const f of findings) for (const x of f.fixes) if (key(f, x) === k && changesText(x, texts)) n++;
  return n;
}

function changesText(fix: Fix, texts: Map<string, string>): boolean {
  for (const [file, edits] of byFile(fix)) {
    const text = texts.get(file);
    if (text === undefined) return true;
    if (apply(text, edits) !== text) return true;
  }
  return false;
}

function byFile(fix: Fix): Map<string, Fix['edits']> {
  const m = new Map<string, Fix['edits']>();
  for (const e of fix.edits) m.set(e.file, [...(m.get(e.file) ?? []), e]);
  return m;
}

function apply(text: string, edits: Fix['edits']): string {
  return TextDocument.applyEdits(
    TextDocument.create('file:///x', 'plaintext', 1, text),
    edits.map((e) => ({ range: e.range, newText: e.newText })),
  );
}

function eolStyle(text: string): 'lf' | 'crlf' | 'cr' | 'mixed' | 'none' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const kinds = [crlf, cr, lf].filter((n) => n > 0).length;
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return crlf ? 'crlf' : cr ? 'cr' : 'lf';
}

function tally(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** Every check but the binary's; returns the fixed texts. Throws with the case named. */
function checkCase(c: Case): Map<string, string> {
  const where = `${c.input.origin}: ${c.finding.code} "${c.fix.title}"`;
  const after = new Map(c.input.files);
  for (const [file, edits] of byFile(c.fix)) {
    const text = c.input.files.get(file);
    assert.ok(text !== undefined, `${where}: edits a file that is not part of the input: ${file}`);
    const lines = text.split(BREAK);
    for (const e of edits)
      for (const p of [e.range.start, e.range.end]) {
        assert.ok(p.line >= 0 && p.line < lines.length, `${where}: line ${p.line} outside the document`);
        assert.ok(
          p.character >= 0 && p.character <= lines[p.line].length,
          `${where}: character ${p.character} outside line ${p.line}`,
        );
      }
    const spans = edits
      .map((e) => ({ s: e.range.start, e: e.range.end }))
      .sort((a, b) => a.s.line - b.s.line || a.s.character - b.s.character);
    for (const s of spans)
      assert.ok(
        s.s.line < s.e.line || (s.s.line === s.e.line && s.s.character <= s.e.character),
        `${where}: reversed range`,
      );
    for (let i = 1; i < spans.length; i++) {
      const a = spans[i - 1].e;
      const b = spans[i].s;
      assert.ok(a.line < b.line || (a.line === b.line && a.character <= b.character), `${where}: overlapping edits`);
    }
    const fixed = apply(text, edits);
    after.set(file, fixed);
    // untouched lines are all still there
    const touched = new Set<number>();
    for (const e of edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) touched.add(l);
    const left = tally(fixed.split(BREAK));
    for (const [l, line] of lines.entries()) {
      if (touched.has(l)) continue;
      const n = left.get(line) ?? 0;
      assert.ok(n > 0, `${where}: line ${l + 1} lost: ${JSON.stringify(line)}`);
      left.set(line, n - 1);
    }
    // comments, line breaks, BOM
    const comments = tally(text.match(/#[^\r\n]*/g) ?? []);
    const kept = tally(fixed.match(/#[^\r\n]*/g) ?? []);
    for (const [cmt, n] of comments)
      assert.ok((kept.get(cmt) ?? 0) >= n, `${where}: comment lost: ${JSON.stringify(cmt)}`);
    const style = eolStyle(text);
    if (style !== 'mixed' && style !== 'none')
      assert.equal(eolStyle(fixed), style, `${where}: line breaks other than the file's (${style})`);
    if (text.startsWith('\ufeff'))
      assert.ok(fixed.startsWith('\ufeff') && fixed.indexOf('\ufeff', 1) < 0, `${where}: the BOM moved`);
  }
  // idempotent: the same finding does not offer the same fix again
  const k = key(c.finding, c.fix);
  const n0 = count(c.before, k, c.input.files);
  const n1 = count(analyze({ ...c.input, files: after }), k, after);
  assert.ok(n1 < n0, `${where}: offered again after it was applied (${n0} → ${n1})`);
  return after;
}

/** The sampled cases from some inputs, deterministic for a seed. */
function sample(inputs: Input[], size: number, seed: number): Case[] {
  const rand = seededRandom(seed);
  const pairs: { input: Input; v: Variant }[] = [];
  for (const input of inputs) for (const v of variantsOf(input.system)) pairs.push({ input, v });
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  const out: Case[] = [];
  for (const { input, v } of pairs) {
    if (out.length >= size) break;
    const varied = withVariant(input, v, HEARTBEATS[Math.floor(rand() * HEARTBEATS.length)]);
    const before = analyze(varied);
    const all: Case[] = [];
    for (const finding of before) for (const fix of finding.fixes) all.push({ input: varied, finding, fix, before });
    for (let k = 0; k < PER_PAIR && all.length > 0 && out.length < size; k++)
      out.push(all.splice(Math.floor(rand() * all.length), 1)[0]);
  }
  return out;
}

function runAll(cases: Case[]): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      checkCase(c);
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  return failures;
}

describe(`fix-safety sweep (issue 23; seed ${SEED}, ${SAMPLE} fixes per set)`, function () {
  this.timeout(600_000);
  before(async () => {
    await initAwsParsers();
  });

  it(`rule fixtures and examples, ${VARIANTS.join('/')} variants: ${SAMPLE} sampled fixes`, () => {
    const cases = sample([...fixtureInputs(), ...exampleInputs()], SAMPLE, SEED);
    assert.equal(cases.length, SAMPLE, 'enough fixes to sample from');
    assert.ok(new Set(cases.map((c) => c.finding.code)).size >= 25, 'the sample spans many rules');
    const failures = runAll(cases);
    assert.deepEqual(failures, []);
  });

  it(`shared corpus, ${VARIANTS.join('/')} variants: up to ${SAMPLE} sampled fixes`, function () {
    need(this, 'shared');
    const inputs = corpusInputs();
    assert.ok(inputs.length > 50, `${inputs.length} corpus files`);
    const cases = sample(inputs, SAMPLE, SEED + 1);
    assert.ok(cases.length >= 50, `${cases.length} fixes sampled`);
    assert.deepEqual(runAll(cases), []);
  });

  it(`binary acceptance kept: the first ${BINARY_SAMPLE} sampled fixes on inputs nginx -t / haproxy -c accept`, function () {
    need(this, 'nginx', 'haproxy');
    const inputs = [...fixtureInputs(), ...exampleInputs()];
    if (gate(['shared']).action === 'run') inputs.push(...corpusInputs());
    const cases = sample(
      inputs.filter((i) => i.system !== 'aws' && i.files.size === 1),
      SAMPLE,
      SEED + 2,
    );
    const accepted = new Map<string, boolean>();
    const ok = (system: Lang, text: string): boolean => {
      const k = `${system}\0${text}`;
      let v = accepted.get(k);
      if (v === undefined) {
        const r = system === 'nginx' ? validateNginx(text) : validateHaproxy(text);
        // HAProxy: a file of backends only is valid ("no listener")
        v = r.ok || (system === 'haproxy' && r.status === 2 && /will not start \(no listener\)/.test(r.output));
        accepted.set(k, v);
      }
      return v;
    };
    let checked = 0;
    const failures: string[] = [];
    for (const c of cases) {
      if (checked >= BINARY_SAMPLE) break;
      const text = c.input.files.get(c.input.root)!;
      if (!ok(c.input.system, text)) continue;
      checked++;
      const after = checkCase(c).get(c.input.root)!;
      if (!ok(c.input.system, after)) failures.push(`${c.input.origin}: "${c.fix.title}" made the file refused`);
    }
    assert.ok(checked >= BINARY_SAMPLE / 2, `${checked} fixes on accepted files`);
    assert.deepEqual(failures, []);
  });
});
