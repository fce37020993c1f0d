/**
 * `npm run bench`: speed and memory of wslb, each as a ratio against a reference measured in the
 * same run on the same file — the real `nginx -t`, `haproxy -c`, and the `nginx-conf` npm parser.
 * Writes test-artifacts/bench.json and prints a table. Times are medians of several runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLanguageService } from '../server/src/service';
import { MemoryFileSystem } from '../server/src/service/model/fs';
import { buildNginxConfig } from '../server/src/service/model/nginx';
import { buildHaproxyConfig } from '../server/src/service/model/haproxy';
import { parseNginx } from '../server/src/service/syntax/nginx';
import { parseHaproxy } from '../server/src/service/syntax/haproxy';
import { benchSimulate } from '../server/src/service/simulate';
import { generateHaproxy, generateNginx } from './bench/generate';

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(REPO, 'test-artifacts');
const CORPUS_LARGE = path.resolve(REPO, '../shared/corpus/haproxy/exymat/bench/fixtures/large-valid.cfg');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown, runs = 7): number {
  fn(); // warm up
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(xs);
}

function timeProcess(cmd: string, args: string[], runs = 5): { ms: number; ok: boolean; output: string } | null {
  const probe = spawnSync(cmd, ['-v'], { encoding: 'utf8' });
  if (probe.error) return null;
  const xs: number[] = [];
  let last = spawnSync(cmd, args, { encoding: 'utf8' });
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    last = spawnSync(cmd, args, { encoding: 'utf8' });
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(xs), ok: last.status === 0, output: (last.stderr + last.stdout).trim().split('\n').slice(-2).join(' | ') };
}

function which(bin: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

interface Row {
  name: string;
  lines: number;
  bytes: number;
  parseMs: number;
  modelMs: number;
  checkMs: number;
  mbPerSec: number;
  reference: string;
  referenceMs: number | null;
  ratio: number | null;
  nginxConfMs?: number | null;
}

const rows: Row[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-bench-'));
const service = createLanguageService();

function benchNginx(name: string, text: string) {
  const file = path.join(tmp, `${name}.conf`);
  fs.writeFileSync(file, text);
  const mfs = new MemoryFileSystem({ [file]: text });
  const parseMs = time(() => parseNginx(text));
  const modelMs = time(() => buildNginxConfig(file, mfs));
  const checkMs = time(() => service.analyzeNginx(file, mfs), 5);
  const nginx = which('nginx');
  fs.mkdirSync(path.join(tmp, 'logs'), { recursive: true });
  const ref = nginx ? timeProcess(nginx, ['-t', '-q', '-p', tmp, '-c', file, '-g', `pid ${tmp}/nginx.pid; error_log stderr;`]) : null;
  let nginxConfMs: number | null = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const NginxParser = require('nginx-conf/dist/src/parser').NginxParser ?? require('nginx-conf').NginxParser;
    nginxConfMs = time(() => new NginxParser().parse(text), 3);
  } catch {
    nginxConfMs = null;
  }
  rows.push({
    name,
    lines: text.split('\n').length,
    bytes: Buffer.byteLength(text),
    parseMs,
    modelMs,
    checkMs,
    mbPerSec: Buffer.byteLength(text) / 1e6 / ((parseMs + modelMs) / 1000),
    reference: ref ? `nginx -t (${ref.ok ? 'ok' : 'refused: ' + ref.output})` : 'nginx not installed',
    referenceMs: ref?.ms ?? null,
    ratio: ref ? (parseMs + modelMs) / ref.ms : null,
    nginxConfMs,
  });
}

function benchHaproxy(name: string, text: string) {
  const file = path.join(tmp, `${name}.cfg`);
  fs.writeFileSync(file, text);
  const parseMs = time(() => parseHaproxy(text));
  // The model alone, from the parsed tree (buildHaproxyConfig without a tree parses again, which
  // counted the parse twice); parse + model is the cost from text.
  const tree = parseHaproxy(text);
  const modelMs = time(() => buildHaproxyConfig([{ path: file, text, tree }]));
  const checkMs = time(() => service.analyzeHaproxy([{ path: file, text }]), 5);
  const haproxy = which('haproxy');
  const ref = haproxy ? timeProcess(haproxy, ['-c', '-q', '-f', file]) : null;
  rows.push({
    name,
    lines: text.split('\n').length,
    bytes: Buffer.byteLength(text),
    parseMs,
    modelMs,
    checkMs,
    mbPerSec: Buffer.byteLength(text) / 1e6 / ((parseMs + modelMs) / 1000),
    reference: ref ? `haproxy -c (${ref.ok ? 'ok' : 'refused: ' + ref.output.slice(0, 80)})` : 'haproxy not installed',
    referenceMs: ref?.ms ?? null,
    ratio: ref ? (parseMs + modelMs) / ref.ms : null,
  });
}

benchNginx('nginx-50k', generateNginx(50_000));
benchNginx('nginx-10k', generateNginx(10_000));
benchHaproxy('haproxy-20k', generateHaproxy(20_000));
if (fs.existsSync(CORPUS_LARGE)) benchHaproxy('exymat-large-valid', fs.readFileSync(CORPUS_LARGE, 'utf8'));

const heapMb = process.memoryUsage().heapUsed / 1e6;
const sim = benchSimulate();

const f = (n: number | null | undefined, d = 1) => (n == null ? '—' : n.toFixed(d));
console.log('\nparse + model, against the real binaries on the same file (ratio < 1: wslb is faster)\n');
console.log('file                  lines   parse ms  model ms  check ms    MB/s   reference ms  ratio   nginx-conf ms');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(20)} ${String(r.lines).padStart(6)} ${f(r.parseMs).padStart(9)} ${f(r.modelMs).padStart(9)} ${f(r.checkMs).padStart(9)} ${f(r.mbPerSec).padStart(7)} ${f(r.referenceMs).padStart(14)} ${f(r.ratio, 3).padStart(6)} ${f(r.nginxConfMs).padStart(14)}   ${r.reference}`,
  );
}
console.log(`\nsimulator: ${sim.events} connection events across 50 backends in ${sim.ms.toFixed(0)} ms`);
console.log(`heap after the runs: ${heapMb.toFixed(0)} MB`);

let lsp: unknown = null;
const lspScript = path.join(REPO, 'scripts/bench-lsp.mjs');
if (fs.existsSync(lspScript) && fs.existsSync(path.join(REPO, 'dist/server/server.js'))) {
  console.log('\nlanguage server (scripts/bench-lsp.mjs):');
  const r = spawnSync(process.execPath, [lspScript], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  try {
    lsp = JSON.parse(r.stdout.trim());
  } catch {
    lsp = { error: 'bench-lsp printed no JSON', status: r.status };
  }
}

fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows, simulator: sim, heapMb, lsp }, null, 2));
console.log(`\nwritten: ${path.relative(process.cwd(), path.join(OUT, 'bench.json'))}`);
fs.rmSync(tmp, { recursive: true, force: true });
