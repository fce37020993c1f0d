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
import { buildNginxConfig, walkStatements } from '../server/src/service/model/nginx';
import { validateConfigKnowledge } from '../server/src/service/knowledge-check';
import { NGINX_RULES } from '../server/src/service/rules';
import { Project } from '../server/src/lsp/project';
import { parseNginxIncremental } from '../server/src/service/syntax/nginx';
import { buildHaproxyConfig } from '../server/src/service/model/haproxy';
import { parseNginx } from '../server/src/service/syntax/nginx';
import { parseHaproxy } from '../server/src/service/syntax/haproxy';
import { benchSimulate } from '../server/src/service/simulate';
import { generateHaproxy, generateNginx } from './bench/generate';
import { NginxParser } from 'nginx-conf/dist/src/parser';

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

/**
 * A whole process, `runs` times after one warm-up run: the median wall time and, with `cpu`, the
 * median CPU time of the process (user + system, from GNU time when /usr/bin/time exists, which
 * then wraps the process for the wall time too; null otherwise). On a host shared with other work
 * the CPU time moves less than the wall time.
 */
function timeProcess(
  cmd: string,
  args: string[],
  runs = 5,
  cpu = false,
  env: NodeJS.ProcessEnv = process.env,
): { ms: number; cpuMs: number | null; ok: boolean; output: string } | null {
  const probe = spawnSync(cmd, ['-v'], { encoding: 'utf8' });
  if (probe.error) return null;
  const gnuTime = cpu && fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const cpuFile = path.join(os.tmpdir(), `wslb-bench-cpu-${process.pid}`);
  // (a buffer for all of the output: at the default 1 MB, spawnSync kills a process that writes
  // more, such as the CLI's 2 MB of JSON on the 52k-line config, and times a run cut short)
  const opts = { encoding: 'utf8', maxBuffer: 1 << 28, env } as const;
  const once = () =>
    gnuTime ? spawnSync(gnuTime, ['-o', cpuFile, '-f', '%U %S', cmd, ...args], opts) : spawnSync(cmd, args, opts);
  const cpuOfLast = (): number | null => {
    if (!gnuTime) return null;
    // GNU time writes "Command exited with non-zero status N" before the figures when N > 0.
    const m = /([\d.]+) ([\d.]+)\s*$/.exec(fs.readFileSync(cpuFile, 'utf8'));
    return m ? (Number(m[1]) + Number(m[2])) * 1000 : null;
  };
  const xs: number[] = [];
  const cpus: number[] = [];
  let last = once();
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    last = once();
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
    const c = cpuOfLast();
    if (c !== null) cpus.push(c);
  }
  fs.rmSync(cpuFile, { force: true });
  return {
    ms: median(xs),
    cpuMs: cpus.length === runs ? median(cpus) : null,
    ok: last.status === 0,
    output: (last.stderr + last.stdout).trim().split('\n').slice(-2).join(' | '),
  };
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
  /** nginx: parse + model + every word of every directive built (what reading all arguments costs). */
  eagerMs?: number;
  /** nginx: parse + model in one go from text (the ratio uses this, not the sum of the two medians). */
  fromTextMs?: number;
}

const rows: Row[] = [];
console.log(
  `load average at start: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} (${os.cpus().length} cpus)`,
);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-bench-'));
const service = createLanguageService();

function benchNginx(name: string, text: string) {
  const file = path.join(tmp, `${name}.conf`);
  fs.writeFileSync(file, text);
  const mfs = new MemoryFileSystem({ [file]: text });
  const parseMs = time(() => parseNginx(text), 11);
  // The model alone, from the parsed tree (context tree, includes resolved, per-block name index);
  // the parse is timed above, so parse + model is the full cost from text.
  const tree = parseNginx(text);
  const modelMs = time(() => buildNginxConfig(file, mfs, { parse: () => tree }), 11);
  // Parse + model in one go from text: what the ratio compares with nginx -t.
  const fromTextMs = time(() => buildNginxConfig(file, mfs), 11);
  // Words are built on first read; this reads every argument of every directive too.
  const eagerMs = time(() => {
    const c = buildNginxConfig(file, mfs);
    for (const s of walkStatements(c.root)) for (const a of s.directive.args) void a.value;
  });
  const checkMs = time(() => service.analyzeNginx(file, mfs), 5);
  const nginx = which('nginx');
  fs.mkdirSync(path.join(tmp, 'logs'), { recursive: true });
  const ref = nginx
    ? timeProcess(nginx, ['-t', '-q', '-p', tmp, '-c', file, '-g', `pid ${tmp}/nginx.pid; error_log stderr;`])
    : null;
  let nginxConfMs: number | null;
  try {
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
    mbPerSec: Buffer.byteLength(text) / 1e6 / (fromTextMs / 1000),
    reference: ref ? `nginx -t (${ref.ok ? 'ok' : 'refused: ' + ref.output})` : 'nginx not installed',
    referenceMs: ref?.ms ?? null,
    ratio: ref ? fromTextMs / ref.ms : null,
    nginxConfMs,
    eagerMs,
    fromTextMs,
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

/**
 * One-character edits in a location of the 10k-line nginx config, in process, the way the language
 * server runs them (Project: incremental re-parse, model, knowledge checks, rules, findings), and
 * where that time goes.
 */
function benchNginxEdit(text: string) {
  const file = '/bench/nginx-edit.conf';
  const open = new Map([[file, text]]);
  const project = new Project((p) =>
    open.has(p) ? { uri: 'file://' + p, path: p, text: open.get(p)!, version: 1, languageId: 'nginx' } : undefined,
  );
  project.analyzeRoot(file, 'nginx');
  const at = text.indexOf('proxy_read_timeout 3600s', text.length >> 1) + 'proxy_read_timeout 3600s'.length;
  let cur = text;
  const edit = (k: number) => {
    const e = k % 2 === 0 ? { offset: at, deleted: 0, inserted: '1' } : { offset: at, deleted: 1, inserted: '' };
    const next = cur.slice(0, e.offset) + e.inserted + cur.slice(e.offset + e.deleted);
    project.noteEdits(file, cur, [e]);
    cur = next;
    open.set(file, next);
    return e;
  };
  let k = 0;
  let byBlock = 0;
  const totalMs = time(() => {
    edit(k++);
    project.analyzeRoot(file, 'nginx');
    project.findingsFor(file);
    if (project.nginxIncremental.get(file)?.lastKind === 'unit') byBlock++;
  }, 15);
  const timed = k;
  // What a whole re-analysis costs, phase by phase, on the same kind of edit (for comparison).
  const phases: Record<string, number[]> = { parse: [], model: [], knowledge: [], rules: [] };
  const mfs = new MemoryFileSystem({});
  const options = service.options;
  for (let i = 0; i < 15; i++) {
    const base = cur;
    const tree = parseNginx(base);
    void tree.lineIndex;
    const config0 = buildNginxConfig(file, { readFile: () => base, readDir: () => undefined }, { parse: () => tree });
    validateConfigKnowledge({ language: 'nginx', config: config0 }, options); // what the previous analysis remembered
    const e = edit(k++);
    let t = performance.now();
    const tree2 = parseNginxIncremental(tree, cur, [e]);
    phases.parse.push(performance.now() - t);
    t = performance.now();
    const config = buildNginxConfig(
      file,
      { readFile: () => cur, readDir: () => mfs.readDir('/') },
      { parse: () => tree2 },
    );
    phases.model.push(performance.now() - t);
    t = performance.now();
    validateConfigKnowledge({ language: 'nginx', config }, options);
    phases.knowledge.push(performance.now() - t);
    t = performance.now();
    for (const rule of NGINX_RULES) rule.check({ config, options, report: () => undefined });
    phases.rules.push(performance.now() - t);
  }
  const phaseMs = Object.fromEntries(Object.entries(phases).map(([key, xs]) => [key, median(xs)]));
  return { lines: text.split('\n').length, totalMs, phaseMs, byBlock, edits: timed };
}
const nginxEdit = benchNginxEdit(generateNginx(10_000));
benchHaproxy('haproxy-20k', generateHaproxy(20_000));
if (fs.existsSync(CORPUS_LARGE)) benchHaproxy('exymat-large-valid', fs.readFileSync(CORPUS_LARGE, 'utf8'));

/**
 * The whole `wslb check --format json` process (start-up, reading, every rule, the JSON written)
 * on a generated config, against `nginx -t` on the same file in the same run (issue #21), by wall
 * and by CPU time; and the start-up apart: bare Node, and `wslb --version` (the bundle loaded,
 * nothing checked), also against `nginx -t` on the 100-line config.
 */
function benchCli() {
  const cli = path.join(REPO, 'dist/cli/wslb.js');
  if (!fs.existsSync(cli)) return null;
  const node = process.execPath;
  const nginx = which('nginx');
  fs.mkdirSync(path.join(tmp, 'logs'), { recursive: true });
  const nginxT = (file: string) =>
    nginx
      ? timeProcess(
          nginx,
          ['-t', '-q', '-p', tmp, '-c', file, '-g', `pid ${tmp}/nginx.pid; error_log stderr;`],
          5,
          true,
        )
      : null;
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? a / b : null);
  const checkOf = (name: string, lines: number) => {
    const file = path.join(tmp, `${name}.conf`);
    const text = generateNginx(lines);
    fs.writeFileSync(file, text);
    const run = timeProcess(node, [cli, 'check', '--format', 'json', file], 5, true);
    const ref = nginxT(file);
    return {
      name,
      lines: text.split('\n').length,
      servers: (text.match(/^ {4}server \{/gm) ?? []).length,
      ms: run?.ms ?? null,
      cpuMs: run?.cpuMs ?? null,
      nginxMs: ref?.ms ?? null,
      nginxCpuMs: ref?.cpuMs ?? null,
      ratio: ratio(run?.ms, ref?.ms),
      cpuRatio: ratio(run?.cpuMs, ref?.cpuMs),
    };
  };
  const big = checkOf('cli-nginx-52k', 52_000);
  const small = checkOf('cli-nginx-100', 100);
  const bare = timeProcess(node, ['-e', '0'], 5, true);
  const version = timeProcess(node, [cli, '--version'], 5, true);
  // Shown apart, not a target: NODE_EXTRA_CA_CERTS (set in some sandboxes and CI images) makes
  // Node 20 read and parse that CA file at every start, before any of wslb's code runs.
  const withoutCa = process.env.NODE_EXTRA_CA_CERTS
    ? (() => {
        const env = { ...process.env };
        delete env.NODE_EXTRA_CA_CERTS;
        const smallFile = path.join(tmp, 'cli-nginx-100.conf');
        return {
          nodeMs: timeProcess(node, ['-e', '0'], 5, false, env)?.ms ?? null,
          smallMs: timeProcess(node, [cli, 'check', '--format', 'json', smallFile], 5, false, env)?.ms ?? null,
        };
      })()
    : null;
  return {
    withoutCa,
    nodeMs: bare?.ms ?? null,
    nodeCpuMs: bare?.cpuMs ?? null,
    versionMs: version?.ms ?? null,
    versionCpuMs: version?.cpuMs ?? null,
    /** `wslb --version` against `nginx -t` on the 100-line config (both: start-up and little else). */
    startupRatio: ratio(version?.ms, small.nginxMs),
    startupCpuRatio: ratio(version?.cpuMs, small.nginxCpuMs),
    big,
    small,
  };
}
const cli = benchCli();

/**
 * Issue 23: a config where every unit is broken, so that every finding builds its fixes (10k
 * WebSocket locations without their headers; 10k HAProxy WebSocket backends without a tunnel
 * timeout). The whole check, fixes included, against the binary on the same file; and the check of
 * N units against N/2, which is about 2 when the work is linear (it was 4 when fixes were quadratic).
 */
function brokenNginx(n: number): string {
  // (a hundred ports shared by name-based servers: nginx -t opens no socket per server then)
  const out = ['events { worker_connections 1024; }', 'http {'];
  for (let i = 0; i < n; i++)
    out.push(
      `    server { listen ${10000 + (i % 100)}; server_name s${i}.example; location /ws/ { proxy_pass http://10.0.0.1:${(i % 60000) + 1}; } }`,
    );
  return out.join('\n') + '\n}\n';
}
function brokenHaproxy(n: number): string {
  const out = [
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 10s',
    '    timeout server 10s',
  ];
  for (let i = 0; i < n; i++)
    out.push(
      `frontend fe${i}`,
      `    bind :${10000 + (i % 50000)}`,
      `    use_backend ws${i} if { path_beg /ws }`,
      `backend ws${i}`,
      `    server s${i} 10.0.${Math.floor(i / 250) % 250}.${(i % 250) + 1}:80`,
    );
  return out.join('\n') + '\n';
}
interface ManyRow {
  system: string;
  units: number;
  bytes: number;
  findings: number;
  fixes: number;
  checkMs: number;
  reference: string | null;
  referenceMs: number | null;
  ratio: number | null;
  growth: number;
}
function benchManyFindings(): ManyRow[] {
  const out: ManyRow[] = [];
  for (const system of ['nginx', 'haproxy'] as const) {
    const at = (n: number) => {
      const text = system === 'nginx' ? brokenNginx(n) : brokenHaproxy(n);
      const file = path.join(tmp, `broken-${system}-${n}.${system === 'nginx' ? 'conf' : 'cfg'}`);
      fs.writeFileSync(file, text);
      const mfs = new MemoryFileSystem({ [file]: text });
      let findings = 0;
      let fixes = 0;
      const ms = time(() => {
        const r =
          system === 'nginx'
            ? service.analyzeNginx(file, mfs).findings
            : service.analyzeHaproxy([{ path: file, text }]).findings;
        findings = r.length;
        fixes = r.reduce((k, f) => k + f.fixes.length, 0);
      }, 3);
      return { file, bytes: Buffer.byteLength(text), ms, findings, fixes };
    };
    const half = at(5000);
    const full = at(10_000);
    const bin = system === 'nginx' ? which('nginx') : which('haproxy');
    const ref = !bin
      ? null
      : system === 'nginx'
        ? timeProcess(bin, ['-t', '-q', '-p', tmp, '-c', full.file, '-g', `pid ${tmp}/nginx.pid; error_log stderr;`], 3)
        : timeProcess(bin, ['-c', '-q', '-f', full.file], 3);
    out.push({
      system,
      units: 10_000,
      bytes: full.bytes,
      findings: full.findings,
      fixes: full.fixes,
      checkMs: full.ms,
      reference: ref
        ? `${system === 'nginx' ? 'nginx -t' : 'haproxy -c'} (${ref.ok ? 'ok' : 'refused: ' + ref.output})`
        : null,
      referenceMs: ref?.ms ?? null,
      ratio: ref ? full.ms / ref.ms : null,
      growth: full.ms / half.ms,
    });
  }
  return out;
}
const manyFindings = benchManyFindings();

const heapMb = process.memoryUsage().heapUsed / 1e6;
const sim = benchSimulate();

const f = (n: number | null | undefined, d = 1) => (n == null ? '—' : n.toFixed(d));
console.log('\nparse + model, against the real binaries on the same file (ratio < 1: wslb is faster)\n');
console.log(
  'file                  lines   parse ms  model ms  check ms    MB/s   reference ms  ratio   nginx-conf ms  (nginx: model from the parsed tree, ratio and MB/s from parse + model in one go; check: from text, every rule)',
);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(20)} ${String(r.lines).padStart(6)} ${f(r.parseMs).padStart(9)} ${f(r.modelMs).padStart(9)} ${f(r.checkMs).padStart(9)} ${f(r.mbPerSec).padStart(7)} ${f(r.referenceMs).padStart(14)} ${f(r.ratio, 3).padStart(6)} ${f(r.nginxConfMs).padStart(14)}   ${r.reference}`,
  );
}
console.log('\nnginx: the ratio is parse + model timed in one go from text:');
for (const r of rows)
  if (r.fromTextMs !== undefined)
    console.log(`  ${r.name}: ${f(r.fromTextMs)} ms (parse and model timed apart: ${f(r.parseMs + r.modelMs)} ms)`);
console.log(
  'nginx: the parser keeps words as offsets and builds their objects on first read; parse + model + every word read:',
);
for (const r of rows)
  if (r.eagerMs !== undefined && r.referenceMs)
    console.log(`  ${r.name}: ${f(r.eagerMs)} ms (ratio ${f(r.eagerMs / r.referenceMs, 3)} against nginx -t)`);
console.log(
  `\nnginx one-character edit, in process (as the language server runs it), ${nginxEdit.lines} lines: ${f(nginxEdit.totalMs)} ms ` +
    `(${nginxEdit.byBlock} of ${nginxEdit.edits} edits analysed block by block); a whole re-analysis would take ` +
    Object.entries(nginxEdit.phaseMs)
      .map(([k, v]) => `${k} ${f(v)}`)
      .join(', ') +
    ' ms plus findings',
);
if (cli) {
  console.log(
    '\nthe CLI as a whole process, `wslb check --format json` (start-up included), against `nginx -t` on the same file; wall (CPU: user + system) ms:',
  );
  for (const r of [cli.big, cli.small])
    console.log(
      `  ${r.name} (${r.lines} lines, ${r.servers} servers): ${f(r.ms)} (${f(r.cpuMs)}) ms; nginx -t ${f(r.nginxMs)} (${f(r.nginxCpuMs)}) ms; ratio ${f(r.ratio, 2)} (CPU ${f(r.cpuRatio, 2)})`,
    );
  console.log(
    `  start-up: node -e 0 ${f(cli.nodeMs)} (${f(cli.nodeCpuMs)}) ms, wslb --version ${f(cli.versionMs)} (${f(cli.versionCpuMs)}) ms; ` +
      `ratio of wslb --version to nginx -t on the 100-line config ${f(cli.startupRatio, 2)} (CPU ${f(cli.startupCpuRatio, 2)})`,
  );
  if (cli.withoutCa)
    console.log(
      `  the same with NODE_EXTRA_CA_CERTS unset (it is set here; not a target): node -e 0 ${f(cli.withoutCa.nodeMs)} ms, ` +
        `cli-nginx-100 ${f(cli.withoutCa.smallMs)} ms`,
    );
}
console.log(
  '\nevery unit broken, every finding with its fixes (issue 23): the check against the binary, and 10k units against 5k',
);
for (const m of manyFindings)
  console.log(
    `  ${m.system} ${m.units} units (${f(m.bytes / 1e6, 2)} MB, ${m.findings} findings, ${m.fixes} fixes): ` +
      `${f(m.checkMs)} ms; ${m.reference ?? 'binary not installed'} ${f(m.referenceMs)} ms, ` +
      `ratio ${f(m.ratio, 2)}; 10k/5k ×${f(m.growth, 2)} (linear: 2, quadratic: 4)`,
  );
console.log(`\nsimulator: ${sim.events} connection events across 50 backends in ${sim.ms.toFixed(0)} ms`);
console.log(`heap after the runs: ${heapMb.toFixed(0)} MB`);

let lsp: unknown = null;
const lspScript = path.join(REPO, 'scripts/bench-lsp.mjs');
if (fs.existsSync(lspScript) && fs.existsSync(path.join(REPO, 'dist/server/server.js'))) {
  console.log('\nlanguage server (scripts/bench-lsp.mjs):');
  const r = spawnSync(process.execPath, [lspScript], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    lsp = JSON.parse(r.stdout.trim());
  } catch {
    lsp = { error: 'bench-lsp printed no JSON', status: r.status };
  }
}

// The issues' targets, each true (met), false (missed) or null (not measured in this run).
const n50 = rows.find((r) => r.name === 'nginx-50k');
const targets: Record<string, boolean | null> = {
  'nginx-50k parse + model < 1/5 of nginx -t (issue #3)': n50 && n50.ratio != null ? n50.ratio < 0.2 : null,
  'wslb check --format json on the 52k-line nginx config <= 1/2 of nginx -t (issue #21)':
    cli?.big.ratio != null ? cli.big.ratio <= 0.5 : null,
  'wslb check --format json on a 100-line nginx config <= 120 ms, start-up included (issue #21)':
    cli?.small.ms != null ? cli.small.ms <= 120 : null,
  'check with fixes grows linearly: 10k/5k units < ×2.6 (issue #23)': manyFindings.every((m) => m.growth < 2.6),
  ...((lsp as { targets?: Record<string, boolean | null> } | null)?.targets ?? {}),
};
console.log('\ntargets:');
for (const [name, met] of Object.entries(targets))
  console.log(`  ${met === null ? 'not measured' : met ? 'met   ' : 'MISSED'}  ${name}`);
const missed = Object.values(targets).filter((met) => met === false).length;

fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(
  path.join(OUT, 'bench.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg(),
      rows,
      nginxEdit,
      simulator: sim,
      cli,
      manyFindings,
      heapMb,
      lsp,
      targets,
    },
    null,
    2,
  ),
);
console.log(`\nwritten: ${path.relative(process.cwd(), path.join(OUT, 'bench.json'))}`);
fs.rmSync(tmp, { recursive: true, force: true });
// A missed target fails the run (exit 1), after every figure is printed and written.
if (missed) {
  console.log(`\n${missed} target${missed > 1 ? 's' : ''} missed`);
  process.exitCode = 1;
}
