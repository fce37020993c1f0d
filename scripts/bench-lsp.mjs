// Language-server benchmark: time from didChange to publishDiagnostics on big configs, server
// start time and memory. Runs the BUILT server (node scripts/build.mjs first) over stdio.
// Usage: node scripts/bench-lsp.mjs [--quick] [--only=nginx-10k,nginx-50k,haproxy-24k,nginx-broken-4k,nginx-broken-10k]
// (WSLB_BENCH_TIMEOUT_MS bounds each wait, default 120000; each case runs on a fresh server.)
// Prints a human summary on stderr and one JSON object on stdout.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = rpc;
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const server = path.join(repo, 'dist', 'server', 'server.js');
// The reference measured in the same run: a server that answers every change at once (no analysis).
const nullServer = path.join(here, 'lsp-null-server.cjs');
const quick = process.argv.includes('--quick');
// Typing: many edits, so the median is the steady state; the first edits (code not yet optimised
// by the JIT) are reported apart as firstEditMs.
const EDITS = Number(process.env.WSLB_BENCH_EDITS ?? (quick ? 5 : 101));
// Whole-text re-checks after the open (each a from-scratch analysis of the text): the median is the
// steady state, the first one is reported apart (fullFirstMs). 31, because the JIT takes about ten
// re-checks of a 1 MB file to settle (HAProxy 24k, 26 Nov: 156, 112, 77, 94, 32, 40, 30, 31, 28, 25 ms,
// then 10-25 ms), so a median of 11 mostly timed the warm-up.
const FULLS = Number(process.env.WSLB_BENCH_FULLS ?? (quick ? 1 : 31));
const HAPROXY_24K = path.resolve(
  repo,
  '..',
  'shared',
  'corpus',
  'haproxy',
  'exymat',
  'bench',
  'fixtures',
  'large-valid.cfg',
);
// Exymat/haproxy-vscode's own diagnostics on that same file, timed on this machine kind by
// scripts/exymat-reference/run.sh (recorded there; measured again in this run when WSLB_EXYMAT_DIR
// names a checkout the script may use, see scripts/exymat-reference/README.md).
const EXYMAT_RECORDED = path.join(here, 'exymat-reference', 'recorded.json');

function say(s) {
  process.stderr.write(s + '\n');
}

/** A realistic nginx config of about `lines` lines: upstreams, servers, WebSocket and plain locations. */
export function generateNginx(lines) {
  const out = [
    'worker_processes 4;',
    'events { worker_connections 4096; }',
    'http {',
    '    map $http_upgrade $connection_upgrade {',
    '        default upgrade;',
    "        ''      close;",
    '    }',
  ];
  let i = 0;
  while (out.length < lines - 1) {
    out.push(
      `    upstream app${i} {`,
      '        least_conn;',
      `        server 10.0.${i % 250}.1:8080;`,
      `        server 10.0.${i % 250}.2:8080;`,
      '    }',
    );
    out.push(
      '    server {',
      `        listen ${8000 + (i % 1000)};`,
      `        server_name s${i}.example.com;`,
      '        location /ws {',
      `            proxy_pass http://app${i};`,
      '            proxy_http_version 1.1;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection $connection_upgrade;',
      '            proxy_read_timeout 3600s;',
      '        }',
      '        location / {',
      `            proxy_pass http://app${i};`,
      '        }',
      '    }',
    );
    i++;
  }
  out.push('}');
  return out.join('\n') + '\n';
}

function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}

async function startServer(script = server, capabilities = { workspace: { configuration: true } }) {
  const t0 = performance.now();
  const args = script === server ? (process.env.WSLB_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean) : [];
  const proc = spawn(process.execPath, [...args, script, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const now = performance.now();
    for (const w of [...waiters]) {
      if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve({ at: now, count: p.diagnostics.length });
      }
    }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ debounceMs: 0, checkWorkspace: false })));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities,
    initializationOptions: { settings: { debounceMs: 0, checkWorkspace: false } },
  });
  const startMs = performance.now() - t0;
  await conn.sendNotification('initialized', {});
  const waitPublish = (uri, version, timeoutMs) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no diagnostics for v${version} within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      waiters.push({ uri, version, resolve: (r) => (clearTimeout(t), resolve(r)) });
    });
  const stop = async () => {
    await Promise.race([conn.sendRequest('shutdown').catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    await conn.sendNotification('exit').catch(() => undefined);
    conn.dispose();
    await new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      const k = setTimeout(() => (proc.kill('SIGKILL'), resolve()), 2000);
      proc.once('exit', () => (clearTimeout(k), resolve()));
    });
  };
  return { proc, conn, startMs, waitPublish, stop };
}

/**
 * One case on a fresh server: open (full), full re-checks, one-character edits, memory. With
 * `script` = the null server, the same messages measure the protocol's own cost.
 */
async function runCase(c, timeoutMs, script = server) {
  const s = await startServer(script);
  const { conn, waitPublish } = s;
  const uri = pathToFileURL(c.file).href;
  const lines = c.text.split('\n').length - 1;
  const result = { lines, chars: c.text.length, serverStartMs: round(s.startMs) };
  try {
    const fulls = [];
    let version = 1;
    let t = performance.now();
    let p = waitPublish(uri, version, timeoutMs);
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: c.languageId, version, text: c.text },
    });
    let r = await p;
    fulls.push(r.at - t);
    result.findings = r.count;
    for (let k = 0; k < FULLS; k++) {
      version++;
      t = performance.now();
      p = waitPublish(uri, version, timeoutMs);
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line: 0, character: 0 }, end: { line: lines + 1, character: 0 } }, text: c.text },
        ],
      });
      r = await p;
      fulls.push(r.at - t);
    }
    const idx = c.text.indexOf(c.editAt, Math.floor(c.text.length / 2));
    const before = c.text.slice(0, idx);
    const line = (before.match(/\n/g) ?? []).length;
    const col = idx - (before.lastIndexOf('\n') + 1) + c.editAt.length - 1;
    const edits = [];
    for (let k = 0; k < EDITS; k++) {
      version++;
      const insert = k % 2 === 0;
      t = performance.now();
      p = waitPublish(uri, version, timeoutMs);
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          insert
            ? { range: { start: { line, character: col }, end: { line, character: col } }, text: '1' }
            : { range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: '' },
        ],
      });
      r = await p;
      edits.push(r.at - t);
      if (process.env.WSLB_BENCH_TRACE) say(`  edit ${k}: ${(r.at - t).toFixed(1)} ms`);
    }
    Object.assign(result, {
      openMs: round(fulls[0]),
      fullMs: round(median(fulls.length > 1 ? fulls.slice(1) : fulls)),
      fullFirstMs: round(fulls[1] ?? fulls[0]),
      fullMinMs: round(Math.min(...(fulls.length > 1 ? fulls.slice(1) : fulls))),
      oneCharEditMs: round(median(edits)),
      oneCharEditMinMs: round(Math.min(...edits)),
      oneCharEditP90Ms: round([...edits].sort((a, b) => a - b)[Math.floor(edits.length * 0.9)]),
      firstEditMs: round(edits[0]),
    });
    result.rssBytes = rssOf(s.proc.pid);
    if (script !== server) {
      say(
        `${c.name} through the null server (protocol only): open ${result.openMs} ms, full ${result.fullMs} ms (min ${result.fullMinMs}), one-character edit ${result.oneCharEditMs} ms (min ${result.oneCharEditMinMs})`,
      );
      return result;
    }
    say(
      `${c.name}: ${lines} lines, ${result.findings} findings; server start ${result.serverStartMs} ms; open ${result.openMs} ms, full re-check ${result.fullMs} ms (median of ${FULLS}, min ${result.fullMinMs}, first ${result.fullFirstMs}), one-character edit ${result.oneCharEditMs} ms (median of ${EDITS}, min ${result.oneCharEditMinMs}, 90th percentile ${result.oneCharEditP90Ms}, first ${result.firstEditMs}); RSS ${(result.rssBytes / 1048576).toFixed(0)} MB`,
    );
  } catch (e) {
    result.error = String(e?.message ?? e);
    result.rssBytes = rssOf(s.proc.pid);
    say(`${c.name}: ${result.error}`);
  } finally {
    await s.stop();
  }
  return result;
}

/**
 * Issue 23: a config where every WebSocket location is broken (no Upgrade/Connection headers, no
 * proxy_http_version, default timeouts), so every location has findings with fixes. The same text
 * as scripts/bench.ts's "every unit broken" case.
 */
export function brokenNginx(n) {
  // (a hundred ports shared by name-based servers: nginx -t opens no socket per server then)
  const out = ['events { worker_connections 1024; }', 'http {'];
  for (let i = 0; i < n; i++)
    out.push(
      `    server { listen ${10000 + (i % 100)}; server_name s${i}.example; location /ws/ { proxy_pass http://10.0.0.1:${(i % 60000) + 1}; } }`,
    );
  return out.join('\n') + '\n}\n';
}

/** `nginx -t` on a file (the reference of the code-action row), or null without nginx. */
function nginxCheckMs(file) {
  const nginx = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
  if (!nginx) return null;
  const dir = path.dirname(file);
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const t = performance.now();
  const r = spawnSync(nginx, ['-t', '-q', '-p', dir, '-c', file, '-g', `pid ${dir}/nginx.pid; error_log stderr;`], {
    encoding: 'utf8',
  });
  return { ms: performance.now() - t, ok: r.status === 0 };
}

/**
 * Issue 23: on a file with `n` broken WebSocket locations, the time from didOpen to the first
 * diagnostics and then of the first code-action request on one location in the middle of the
 * file, each against `nginx -t` on the same file in this run. Diagnostics build no fixes; the
 * code action builds only those of the findings it is asked about.
 */
async function runCodeActionCase(n, timeoutMs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-bench-ca-'));
  const file = path.join(dir, `broken-${n}.conf`);
  const text = brokenNginx(n);
  fs.writeFileSync(file, text);
  const name = `nginx-broken-${n / 1000}k`;
  const result = { name, locations: n, chars: text.length };
  const ref = nginxCheckMs(file);
  result.nginxTestMs = ref ? round(ref.ms) : null;
  // as VS Code does: code actions are resolved (fix-all's edit is made when it is chosen)
  const s = await startServer(server, {
    workspace: { configuration: true },
    textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } },
  });
  try {
    const uri = pathToFileURL(file).href;
    let t = performance.now();
    const p = s.waitPublish(uri, 1, timeoutMs);
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'nginx', version: 1, text },
    });
    const r = await p;
    result.findings = r.count;
    result.firstDiagnosticsMs = round(r.at - t);
    const line = 2 + Math.floor(n / 2);
    t = performance.now();
    const actions = await s.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 0 }, end: { line, character: 200 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    result.firstCodeActionMs = round(performance.now() - t);
    result.actions = actions?.length ?? 0;
    // A client that cannot resolve code actions gets fix-all's edit at once: the whole file fixed.
    const plain = await startServer();
    try {
      const q = plain.waitPublish(uri, 1, timeoutMs);
      await plain.conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'nginx', version: 1, text },
      });
      await q;
      t = performance.now();
      await plain.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line, character: 0 }, end: { line, character: 200 } },
        context: { diagnostics: [], only: ['quickfix'] },
      });
      result.firstCodeActionNoResolveMs = round(performance.now() - t);
    } finally {
      await plain.stop();
    }
    if (ref) {
      result.firstDiagnosticsRatio = ratio(result.firstDiagnosticsMs / ref.ms);
      result.firstCodeActionRatio = ratio(result.firstCodeActionMs / ref.ms);
      result.firstCodeActionNoResolveRatio = ratio(result.firstCodeActionNoResolveMs / ref.ms);
    }
    say(
      `${name} (${(text.length / 1e6).toFixed(2)} MB, ${result.findings} findings): first diagnostics ${result.firstDiagnosticsMs} ms, ` +
        `first code action ${result.firstCodeActionMs} ms (${result.actions} actions; ${result.firstCodeActionNoResolveMs} ms for a client that does not resolve them, fix-all's edit included); ` +
        `nginx -t ${result.nginxTestMs ?? 'not installed'} ms; ratios against it ${result.firstDiagnosticsRatio ?? '-'}, ${result.firstCodeActionRatio ?? '-'} and ${result.firstCodeActionNoResolveRatio ?? '-'}`,
    );
  } catch (e) {
    result.error = String(e?.message ?? e);
    say(`${name}: ${result.error}`);
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

async function main() {
  if (!fs.existsSync(server)) throw new Error(`${server} is missing: run node scripts/build.mjs first`);
  const timeoutMs = Number(process.env.WSLB_BENCH_TIMEOUT_MS ?? 120_000);
  const cases = [
    {
      name: 'nginx-10k',
      languageId: 'nginx',
      file: '/bench/nginx-10k.conf',
      text: generateNginx(10_000),
      editAt: 'proxy_read_timeout 3600s',
    },
    {
      name: 'nginx-50k',
      languageId: 'nginx',
      file: '/bench/nginx-50k.conf',
      text: generateNginx(50_000),
      editAt: 'proxy_read_timeout 3600s',
    },
  ];
  if (fs.existsSync(HAPROXY_24K))
    cases.push({
      name: 'haproxy-24k',
      languageId: 'haproxy',
      file: HAPROXY_24K,
      text: fs.readFileSync(HAPROXY_24K, 'utf8'),
      editAt: 'timeout',
    });
  else say(`(skipping the HAProxy case: ${HAPROXY_24K} not found)`);
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const results = {};
  for (const c of cases) {
    if (only && !only.split(',').includes(c.name)) continue;
    const r = (results[c.name] = await runCase(c, timeoutMs));
    // The protocol's share, measured now with the same messages: what remains is the server's own cost.
    const floor = await runCase(c, timeoutMs, nullServer);
    r.protocol = {
      fullMs: floor.fullMs,
      fullMinMs: floor.fullMinMs,
      oneCharEditMs: floor.oneCharEditMs,
      oneCharEditMinMs: floor.oneCharEditMinMs,
    };
    if (r.fullMs != null && floor.fullMs != null) r.serverFullMs = round(r.fullMs - floor.fullMs);
    if (r.oneCharEditMs != null && floor.oneCharEditMs != null)
      r.serverEditMs = round(r.oneCharEditMs - floor.oneCharEditMs);
    say(
      `  ${c.name} server's own cost (median minus the null server's median): full ${r.serverFullMs} ms, one-character edit ${r.serverEditMs} ms`,
    );
  }
  const codeActions = {};
  for (const n of quick ? [4000] : [4000, 10_000]) {
    const name = `nginx-broken-${n / 1000}k`;
    if (only && !only.split(',').includes(name)) continue;
    codeActions[name] = await runCodeActionCase(n, timeoutMs);
  }
  const starts = Object.values(results).map((r) => r.serverStartMs);
  const ok = (r, key, limit) => (r && r[key] != null ? r[key] < limit : null);
  const hap = results['haproxy-24k'];
  const exymat = hap ? exymatReference() : null;
  if (exymat && hap) {
    // Our figures include the protocol (a 1 MB message each way for the full check); theirs are
    // in-process calls with no protocol at all.
    exymat.fullRatio = hap.fullMs ? round(exymat.fullPassMs / hap.fullMs) : null;
    exymat.editRatio = hap.oneCharEditMs ? round(exymat.editMs / hap.oneCharEditMs) : null;
    say(
      `haproxy-24k against Exymat/haproxy-vscode on this machine kind (${exymat.source}): full check ${hap.fullMs} ms vs their full pass ${exymat.fullPassMs} ms = ${exymat.fullRatio}x faster; one-character edit ${hap.oneCharEditMs} ms vs their edit ${exymat.editMs} ms = ${exymat.editRatio}x faster`,
    );
  }
  const atLeast = (x, n) => (x == null ? null : x >= n);
  const summary = {
    benchmark: 'lsp',
    node: process.version,
    serverStartMs: round(median(starts)),
    cases: results,
    codeActions,
    exymat,
    targets: {
      'nginx-10k one-character edit < 10 ms': ok(results['nginx-10k'], 'oneCharEditMs', 10),
      // #4: "be at least 10x faster" than the best HAProxy extension, on its own 24k-line file,
      // timed on the same machine kind (our time through the server, protocol included).
      'haproxy-24k full check >= 10x faster than Exymat/haproxy-vscode on this machine kind': atLeast(
        exymat?.fullRatio,
        10,
      ),
      'haproxy-24k one-character edit >= 10x faster than Exymat/haproxy-vscode on this machine kind': atLeast(
        exymat?.editRatio,
        10,
      ),
      // Stricter, against the figures Exymat's README states (measured on a machine we do not know;
      // its full-pass figure is not what its bench times today, see scripts/exymat-reference/README.md).
      'haproxy-24k one-character edit < 2.5 ms (10x the 20-25 ms in Exymat README)': ok(hap, 'oneCharEditMs', 2.5),
      'haproxy-24k full check, server cost < 21 ms (10x the 210-360 ms in Exymat README)': ok(hap, 'serverFullMs', 21),
    },
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}

/**
 * Exymat/haproxy-vscode's full pass and edit on the 24k-line file: measured now by
 * scripts/exymat-reference/run.sh when WSLB_EXYMAT_DIR is set, otherwise the recorded figures.
 */
function exymatReference() {
  const recorded = fs.existsSync(EXYMAT_RECORDED) ? JSON.parse(fs.readFileSync(EXYMAT_RECORDED, 'utf8')) : null;
  if (process.env.WSLB_EXYMAT_DIR) {
    say(`timing Exymat/haproxy-vscode in ${process.env.WSLB_EXYMAT_DIR} (scripts/exymat-reference/run.sh) ...`);
    const r = spawnSync('bash', [path.join(here, 'exymat-reference', 'run.sh'), process.env.WSLB_EXYMAT_DIR], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60_000,
    });
    const line = (r.stdout ?? '').trim().split('\n').pop();
    if (r.status === 0 && line) return { source: 'measured in this run', ...JSON.parse(line) };
    say(`  (could not time it: exit ${r.status}; using the recorded figures)`);
  }
  if (!recorded) return null;
  return {
    source: `recorded ${recorded.date}`,
    commit: recorded.commit,
    node: recorded.node,
    fullPassMs: recorded.fullPassMs,
    editMs: recorded.editMs,
  };
}

function ratio(x) {
  return x == null ? null : Math.round(x * 1000) / 1000;
}

function round(x) {
  return x == null ? null : Math.round(x * 10) / 10;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main().catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + '\n');
    process.exit(1);
  });
