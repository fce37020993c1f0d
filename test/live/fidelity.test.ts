/**
 * Simulator fidelity: the real nginx / HAProxy balance real WebSocket clients over identity-reporting
 * backends; for each connection the simulator (fed with the pool wslb's own model extracts from the
 * same config text) predicts the backend. Deterministic algorithms must agree client by client;
 * random ones must match the weights in distribution (chi-square goodness of fit, stated below).
 */
import { strict as assert } from 'node:assert';
import { buildNginxConfig } from '../../server/src/service/model/nginx';
import { buildHaproxyConfig } from '../../server/src/service/model/haproxy';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { nginxPools, haproxyPools } from '../../server/src/service/features/pools';
import { createBalancer, type SimPool, type SimRequest } from '../../server/src/service/simulate';
import {
  binaryGate,
  freePort,
  openWsOk,
  requireBinaries,
  startBackend,
  startBalancer,
  stopAll,
  substitute,
  waitFor,
  type Backend,
  type LiveClient,
} from './harness';
import { recordFidelity, recordNote, writeReport } from './report';

type Step =
  | { op: 'open'; id: number; addr?: string; uri?: string; headers?: Record<string, string> }
  | { op: 'close'; id: number };

interface FidelityCase {
  name: string;
  system: 'nginx' | 'haproxy';
  /** Config with @LISTEN@ and @B0@..@Bn-1@ placeholders; the balanced pool is called `ws`. */
  config: string;
  backends: number;
  steps: Step[];
  /** 'exact': every pick must match. 'distribution': compare counts with the weights. */
  mode: 'exact' | 'distribution';
}

// ---------------------------------------------------------------------------------------------
// Client plans

const openAll = (n: number, f: (i: number) => Omit<Extract<Step, { op: 'open' }>, 'op' | 'id'> = () => ({})): Step[] =>
  Array.from({ length: n }, (_, i) => ({ op: 'open' as const, id: i, ...f(i) }));

/** Opens `n` clients, closing some along the way so connection counts go up and down. */
function churn(n: number): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) {
    steps.push({ op: 'open', id: i });
    if (i % 3 === 2) steps.push({ op: 'close', id: i - 2 });
    if (i % 5 === 4) steps.push({ op: 'close', id: i - 1 });
  }
  return steps;
}

/** Source addresses spread over several /24s of 127/8 (Linux routes all of it on lo). */
function sourceAddr(i: number): string {
  const x = Math.imul(i + 7, 2654435761) >>> 0;
  return `127.${1 + (x % 6)}.${(x >>> 8) % 5}.${1 + ((x >>> 16) % 250)}`;
}

// ---------------------------------------------------------------------------------------------
// Configs

const ngxServers = (lines: string[]) => lines.map((l) => `    server ${l};`).join('\n');

function nginxConf(upstreamBody: string, extra = ''): string {
  return `${extra}
events {}
http {
  upstream ws {
${upstreamBody}
  }
  server {
    listen 127.0.0.1:@LISTEN@;
    location / {
      proxy_pass http://ws;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header X-Worker-Pid $pid;
    }
  }
}
`;
}

function haproxyConf(backendBody: string): string {
  return `global
  nbthread 1
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
  timeout tunnel 10s
frontend fe
  bind 127.0.0.1:@LISTEN@
  default_backend ws
backend ws
${backendBody}
`;
}

const hapServers = (lines: string[]) => lines.map((l, i) => `  server s${i} ${l}`).join('\n');

const CASES: FidelityCase[] = [
  // nginx 1.22, one worker: exact sequences.
  {
    name: 'nginx round robin, weights 5/1/1 + down + backup',
    system: 'nginx',
    config: nginxConf(
      ngxServers([
        '127.0.0.1:@B0@ weight=5',
        '127.0.0.1:@B1@',
        '127.0.0.1:@B2@',
        '127.0.0.1:@B3@ down',
        '127.0.0.1:@B4@ backup',
      ]),
    ),
    backends: 5,
    steps: openAll(21),
    mode: 'exact',
  },
  {
    name: 'nginx least_conn, weights 3/1/1 with closes',
    system: 'nginx',
    config: nginxConf(
      `    least_conn;\n${ngxServers(['127.0.0.1:@B0@ weight=3', '127.0.0.1:@B1@', '127.0.0.1:@B2@'])}`,
    ),
    backends: 3,
    steps: churn(24),
    mode: 'exact',
  },
  {
    name: 'nginx ip_hash over several /24s, with a down server',
    system: 'nginx',
    config: nginxConf(
      `    ip_hash;\n${ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@ weight=2', '127.0.0.1:@B2@', '127.0.0.1:@B3@ down'])}`,
    ),
    backends: 4,
    steps: openAll(24, (i) => ({ addr: sourceAddr(i) })),
    mode: 'exact',
  },
  {
    name: 'nginx hash $remote_addr (map-based)',
    system: 'nginx',
    config: nginxConf(
      `    hash $remote_addr;\n${ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@ weight=2', '127.0.0.1:@B2@'])}`,
    ),
    backends: 3,
    steps: openAll(24, (i) => ({ addr: sourceAddr(i) })),
    mode: 'exact',
  },
  {
    name: 'nginx hash $remote_addr consistent',
    system: 'nginx',
    config: nginxConf(
      `    hash $remote_addr consistent;\n${ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@ weight=2', '127.0.0.1:@B2@', '127.0.0.1:@B3@'])}`,
    ),
    backends: 4,
    steps: openAll(24, (i) => ({ addr: sourceAddr(i) })),
    mode: 'exact',
  },
  {
    name: 'nginx hash $arg_room consistent',
    system: 'nginx',
    config: nginxConf(
      `    hash $arg_room consistent;\n${ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@', '127.0.0.1:@B2@'])}`,
    ),
    backends: 3,
    steps: openAll(24, (i) => ({ uri: `/ws?room=r${(i * 7) % 11}&u=${i}` })),
    mode: 'exact',
  },
  {
    name: 'nginx random, weights 1/2/3',
    system: 'nginx',
    config: nginxConf(
      `    random;\n${ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@ weight=2', '127.0.0.1:@B2@ weight=3'])}`,
    ),
    backends: 3,
    steps: openAll(120),
    mode: 'distribution',
  },
  // nginx with 2 workers: per-worker state without zone, shared state with zone.
  {
    name: 'nginx round robin 1/1/1, 2 workers, no zone (per-worker state)',
    system: 'nginx',
    config: nginxConf(ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@', '127.0.0.1:@B2@']), 'worker_processes 2;'),
    backends: 3,
    steps: openAll(24),
    mode: 'exact',
  },
  {
    name: 'nginx least_conn, 2 workers, no zone (per-worker counts)',
    system: 'nginx',
    config: nginxConf(
      `    least_conn;\n${ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@', '127.0.0.1:@B2@'])}`,
      'worker_processes 2;',
    ),
    backends: 3,
    steps: openAll(24),
    mode: 'exact',
  },
  {
    name: 'nginx least_conn, 2 workers, zone (shared counts)',
    system: 'nginx',
    config: nginxConf(
      `    zone ws 64k;\n    least_conn;\n${ngxServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@', '127.0.0.1:@B2@'])}`,
      'worker_processes 2;',
    ),
    backends: 3,
    steps: openAll(24),
    mode: 'exact',
  },
  // HAProxy 2.6, one thread.
  {
    name: 'HAProxy roundrobin, weights 3/2/1 + disabled + backup',
    system: 'haproxy',
    config: haproxyConf(
      `  balance roundrobin\n${hapServers(['127.0.0.1:@B0@ weight 3', '127.0.0.1:@B1@ weight 2', '127.0.0.1:@B2@ weight 1', '127.0.0.1:@B3@ disabled', '127.0.0.1:@B4@ backup'])}`,
    ),
    backends: 5,
    steps: openAll(24),
    mode: 'exact',
  },
  {
    name: 'HAProxy static-rr, weights 3/1/2',
    system: 'haproxy',
    config: haproxyConf(
      `  balance static-rr\n${hapServers(['127.0.0.1:@B0@ weight 3', '127.0.0.1:@B1@ weight 1', '127.0.0.1:@B2@ weight 2'])}`,
    ),
    backends: 3,
    steps: openAll(18),
    mode: 'exact',
  },
  {
    name: 'HAProxy leastconn, weights 2/1/1 with closes',
    system: 'haproxy',
    config: haproxyConf(
      `  balance leastconn\n${hapServers(['127.0.0.1:@B0@ weight 2', '127.0.0.1:@B1@', '127.0.0.1:@B2@'])}`,
    ),
    backends: 3,
    steps: churn(24),
    mode: 'exact',
  },
  {
    name: 'HAProxy first, maxconn 3',
    system: 'haproxy',
    config: haproxyConf(
      `  balance first\n${hapServers(['127.0.0.1:@B0@ maxconn 3', '127.0.0.1:@B1@ maxconn 3', '127.0.0.1:@B2@ maxconn 3'])}`,
    ),
    backends: 3,
    steps: churn(12),
    mode: 'exact',
  },
  {
    name: 'HAProxy source (map-based)',
    system: 'haproxy',
    config: haproxyConf(
      `  balance source\n${hapServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@ weight 2', '127.0.0.1:@B2@'])}`,
    ),
    backends: 3,
    steps: openAll(24, (i) => ({ addr: sourceAddr(i) })),
    mode: 'exact',
  },
  {
    name: 'HAProxy source, hash-type consistent',
    system: 'haproxy',
    config: haproxyConf(
      `  balance source\n  hash-type consistent\n${hapServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@ weight 2', '127.0.0.1:@B2@', '127.0.0.1:@B3@'])}`,
    ),
    backends: 4,
    steps: openAll(24, (i) => ({ addr: sourceAddr(i) })),
    mode: 'exact',
  },
  {
    name: 'HAProxy uri (map-based)',
    system: 'haproxy',
    config: haproxyConf(`  balance uri\n${hapServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@', '127.0.0.1:@B2@'])}`),
    backends: 3,
    steps: openAll(24, (i) => ({ uri: `/ws/room-${(i * 5) % 13}` })),
    mode: 'exact',
  },
  {
    name: 'HAProxy hdr(X-User), hash-type consistent',
    system: 'haproxy',
    config: haproxyConf(
      `  balance hdr(X-User)\n  hash-type consistent\n${hapServers(['127.0.0.1:@B0@', '127.0.0.1:@B1@', '127.0.0.1:@B2@'])}`,
    ),
    backends: 3,
    steps: openAll(24, (i) => ({ headers: { 'X-User': `user-${(i * 3) % 17}` } })),
    mode: 'exact',
  },
  {
    name: 'HAProxy random(1), weights 1/2/3',
    system: 'haproxy',
    config: haproxyConf(
      `  balance random(1)\n${hapServers(['127.0.0.1:@B0@ weight 1', '127.0.0.1:@B1@ weight 2', '127.0.0.1:@B2@ weight 3'])}`,
    ),
    backends: 3,
    steps: openAll(120),
    mode: 'distribution',
  },
];

// ---------------------------------------------------------------------------------------------
// Running one case

function poolFromConfig(system: 'nginx' | 'haproxy', text: string): SimPool {
  const pools =
    system === 'nginx'
      ? nginxPools(buildNginxConfig('/live/nginx.conf', new MemoryFileSystem({ '/live/nginx.conf': text })))
      : haproxyPools(buildHaproxyConfig([{ path: '/live/haproxy.cfg', text }]));
  const p = pools.find((x) => x.pool.name === 'ws');
  if (!p)
    throw new Error(
      `wslb's model found no pool "ws" in the config (found: ${pools.map((x) => x.pool.name).join(', ') || 'none'})`,
    );
  return p.pool;
}

/** Chi-square statistic of observed counts against expected proportions. */
export function chiSquare(observed: number[], weights: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  const wsum = weights.reduce((a, b) => a + b, 0);
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = (total * weights[i]) / wsum;
    stat += (observed[i] - e) ** 2 / e;
  }
  return stat;
}

/** Upper 0.1% critical values of the chi-square distribution for 1..5 degrees of freedom. */
const CHI2_CRIT_0_001 = [10.828, 13.816, 16.266, 18.467, 20.515];

interface Outcome {
  real: number[];
  predicted: number[];
  workers: number[];
  mismatches: string[];
}

async function runCase(c: FidelityCase): Promise<Outcome> {
  const backends: Backend[] = [];
  for (let i = 0; i < c.backends; i++) backends.push(await startBackend({ name: `b${i}`, mode: 'silent' }));
  const port = await freePort();
  const vars: Record<string, number> = { LISTEN: port };
  backends.forEach((b, i) => (vars[`B${i}`] = b.port));
  const text = substitute(c.config, vars);
  const pool = poolFromConfig(c.system, text);
  const sim = createBalancer(pool, { seed: 1 });
  // Map each backend port to the pool's server index (the sim speaks in server indexes).
  const serverOfBackend = backends.map((b) => pool.servers.findIndex((s) => s.port === b.port));
  await startBalancer(c.system, text, {}, [port]);

  // `server` is the simulator's pick, released in the simulator when the real client closes.
  const open = new Map<number, { client: LiveClient; backend: number; server: number; worker: number; conn: number }>();
  const pidToWorker = new Map<string, number>();
  const out: Outcome = { real: [], predicted: [], workers: [], mismatches: [] };
  const openOne = async (step: Extract<Step, { op: 'open' }>) => {
    const client = await openWsOk(`ws://127.0.0.1:${port}${step.uri ?? '/ws'}`, {
      localAddress: step.addr,
      headers: step.headers,
    });
    const id = await client.waitIdentity();
    const bIndex = Number(id.backend.slice(1));
    const backend = backends[bIndex];
    const conn = backend.connections.length - 1;
    const pid = String(backend.connections[conn].headers['x-worker-pid'] ?? '0');
    if (!pidToWorker.has(pid)) pidToWorker.set(pid, pidToWorker.size);
    const worker = c.system === 'nginx' ? pidToWorker.get(pid)! : 0;
    const req: SimRequest = {
      clientIp: step.addr ?? '127.0.0.1',
      uri: step.uri ?? '/ws',
      headers: { host: `127.0.0.1:${port}`, ...step.headers },
      worker,
    };
    const predicted = sim.pickDetailed(req).server;
    const real = serverOfBackend[bIndex];
    out.real.push(real);
    out.predicted.push(predicted);
    out.workers.push(worker);
    if (c.mode === 'exact' && real !== predicted) {
      out.mismatches.push(
        `client ${step.id}${step.addr ? ` (${step.addr})` : ''}${step.uri ? ` ${step.uri}` : ''}: real s${real}, simulator s${predicted}, worker ${worker}`,
      );
    }
    open.set(step.id, { client, backend: bIndex, server: predicted, worker, conn });
  };
  for (let k = 0; k < c.steps.length; k++) {
    const step = c.steps[k];
    if (step.op === 'open') {
      if (c.mode === 'distribution') {
        // Order does not matter for a distribution: open up to 10 at a time.
        const batch: Extract<Step, { op: 'open' }>[] = [step];
        while (batch.length < 10 && c.steps[k + 1]?.op === 'open')
          batch.push(c.steps[++k] as Extract<Step, { op: 'open' }>);
        await Promise.all(batch.map(openOne));
      } else {
        await openOne(step);
      }
    } else {
      const o = open.get(step.id);
      if (!o) continue;
      open.delete(step.id);
      o.client.close();
      // nginx/HAProxy free the peer before closing the upstream side: once the backend sees the
      // close, the balancer's count has dropped.
      await waitFor(() => backends[o.backend].connections[o.conn].closed, {
        timeoutMs: 2000,
        label: 'backend sees the close',
      });
      if (o.server >= 0) sim.release(o.server, 0, o.worker);
    }
  }
  for (const o of open.values()) o.client.close();
  return out;
}

describe('live: simulator fidelity against the real balancers', function () {
  this.timeout(20000);

  before(function () {
    const gate = binaryGate(['nginx', 'haproxy']);
    if (gate.action !== 'run') recordNote(`simulator fidelity not measured: ${gate.reason}`);
    requireBinaries(this, ['nginx', 'haproxy']);
  });
  afterEach(stopAll);
  after(async () => {
    await stopAll();
    writeReport();
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.mode === 'exact' ? 'client-by-client agreement 100%' : 'distribution matches the weights (chi-square, p > 0.001)'}`, async () => {
      const out = await runCase(c);
      const n = out.real.length;
      const agree = out.real.filter((r, i) => r === out.predicted[i]).length;
      if (c.mode === 'exact') {
        recordFidelity({
          name: c.name,
          system: c.system,
          mode: 'exact',
          clients: n,
          agreement: agree / n,
          mismatches: out.mismatches.slice(0, 10),
        });
        assert.deepEqual(out.mismatches, [], `simulator disagrees with ${c.system} on ${n - agree}/${n} clients`);
        if (c.name.includes('2 workers')) {
          const used = new Set(out.workers).size;
          assert.ok(used >= 1, 'worker ids recorded');
        }
      } else {
        const pool = poolFromConfig(c.system, c.config.replace(/@[A-Z0-9]+@/g, '1'));
        const weights = pool.servers.map((s) => s.weight);
        const count = (seq: number[]) => weights.map((_, i) => seq.filter((x) => x === i).length);
        const realCounts = count(out.real);
        const simCounts = count(out.predicted);
        const crit = CHI2_CRIT_0_001[weights.length - 2];
        const realStat = chiSquare(realCounts, weights);
        const simStat = chiSquare(simCounts, weights);
        recordFidelity({
          name: c.name,
          system: c.system,
          mode: 'distribution',
          clients: n,
          weights,
          realCounts,
          simulatorCounts: simCounts,
          chiSquareReal: Number(realStat.toFixed(3)),
          chiSquareSimulator: Number(simStat.toFixed(3)),
          criticalValue: crit,
          test: `chi-square goodness of fit against the weights, df=${weights.length - 1}, reject at p < 0.001`,
        });
        assert.ok(
          realStat < crit,
          `real counts ${realCounts.join(',')} fit the weights ${weights.join(',')} (chi2 ${realStat.toFixed(2)} < ${crit})`,
        );
        assert.ok(
          simStat < crit,
          `simulated counts ${simCounts.join(',')} fit the weights ${weights.join(',')} (chi2 ${simStat.toFixed(2)} < ${crit})`,
        );
      }
    });
  }

  it('the chi-square check can fail: a skewed sample is rejected', () => {
    assert.ok(chiSquare([100, 25, 25], [1, 2, 3]) > CHI2_CRIT_0_001[1]);
    assert.ok(chiSquare([25, 50, 75], [1, 2, 3]) < 0.001);
  });
});
