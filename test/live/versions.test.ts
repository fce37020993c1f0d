/**
 * The version-sensitive rules run on each release's own binary: Debian's nginx 1.22.1 and HAProxy
 * 2.6.12, and the releases scripts/versions.mjs builds from ../shared/src (nginx 1.24 to 1.31,
 * HAProxy 2.8 to 3.4). For each release, wslb is told that version (`nginxVersion` /
 * `haproxyVersion`) and the binary must agree with it: the harm happens where wslb reports the rule,
 * and does not where wslb stays quiet. Every fix wslb offers for that version is accepted by the
 * binary (`nginx -t` / `haproxy -c`), as are the hand-written good configs.
 *
 * Cheap by design: one validator process per config and a handful of short live runs per release.
 */
import { strict as assert } from 'node:assert';
import { knownVersions, locate, need, type Need } from '../helpers/needs';
import { CASES, badText, goodText, type LiveCase } from './cases';
import { LiveClient, openWs, openWsOk, stopAll, useBinaries, validate, versionOf } from './harness';
import { assertFixed, measure, run, showSurvives, showWorks } from './prove';
import { recordVersionRun, writeReport } from './report';
import { analyze, wslbFixed } from './wslb';

interface Release {
  system: 'nginx' | 'haproxy';
  /** What gates it: Debian's binary or a built release. */
  need: Need;
  /** The version as listed (built) or as reported by the binary (Debian's). */
  label: string;
}

const caseOf = (id: string): LiveCase => {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`no live case ${id}`);
  return c;
};

function releases(system: 'nginx' | 'haproxy'): Release[] {
  return [
    { system, need: system, label: `Debian's ${system}` },
    ...knownVersions()
      .filter((v) => v.name === system)
      .map((v) => ({ system, need: `${system}@${v.version}` as Need, label: `${system} ${v.version}` })),
  ];
}

/** wslb's options for a release: its version as the target. */
function optionsFor(system: 'nginx' | 'haproxy', version: string) {
  return system === 'nginx' ? { nginxVersion: version } : { haproxyVersion: version };
}

function fires(c: LiveCase, text: string, version: string): boolean {
  return analyze(c, text, optionsFor(c.system, version)).some((f) => f.code === c.id);
}

for (const system of ['nginx', 'haproxy'] as const) {
  for (const rel of releases(system)) {
    describe(`live per version: ${rel.label}`, function () {
      this.timeout(30_000);
      let version = '';
      let restore: (() => void) | undefined;

      before(function () {
        need(this, rel.need);
        const bin = locate(rel.need);
        if (!bin) return;
        restore = useBinaries({ [system]: bin });
        version = versionOf(bin);
      });
      afterEach(stopAll);
      after(async () => {
        await stopAll();
        restore?.();
        writeReport();
      });

      it('every fix wslb offers for this version, and every good config, is accepted by this binary', function () {
        // about 30 validator runs: a second or two on an idle machine, far more on a loaded one
        this.timeout(180_000);
        const refused: string[] = [];
        let checked = 0;
        for (const c of CASES.filter((x) => x.system === system)) {
          const texts: [string, string][] = [[`${c.good} (good)`, goodText(c)]];
          const fixed = wslbFixed(c, optionsFor(system, version));
          if (fixed) texts.push([`wslb's fix for ${c.id}`, fixed.fixed]);
          for (const [what, text] of texts) {
            const v = validate(system, text, { LISTEN: 1, B1: 2, B2: 3, B3: 4, B4: 5, B5: 6 });
            checked++;
            if (!v.ok) refused.push(`${what}:\n${v.output}`);
          }
        }
        assert.ok(checked > 10, `only ${checked} configs checked`);
        assert.deepEqual(refused, [], `${rel.label} (${version}) refused:\n${refused.join('\n\n')}`);
      });

      if (system === 'nginx') {
        it('nginx/ws-http-version: the handshake fails over the default HTTP version exactly where wslb reports it', async () => {
          const c = caseOf('nginx/ws-http-version');
          const bad = badText(c);
          const expectHarm = fires(c, bad, version);
          const r = await run(c, bad, 'bad');
          const res = await openWs(r.url);
          let observed: string;
          let harm: boolean;
          if (res instanceof LiveClient) {
            res.close();
            harm = false;
            const seen = r.backend.connections[0];
            observed = `101 without proxy_http_version; backend saw HTTP/${seen?.httpVersion ?? '?'}`;
            // and it works end to end: hello and echo through the proxy
            observed += `; ${await showWorks(r)}`;
          } else {
            harm = true;
            const seen = r.backend.refusedUpgrades[0];
            observed = `client got ${res.kind === 'refused' ? `HTTP ${res.status}` : res.error}; backend saw HTTP/${seen?.httpVersion ?? '?'}`;
          }
          recordVersionRun({
            rule: c.id,
            system,
            version,
            wslbFires: expectHarm,
            harm,
            agrees: harm === expectHarm,
            observed,
          });
          assert.equal(
            harm,
            expectHarm,
            `nginx ${version}: wslb ${expectHarm ? 'reports' : 'does not report'} ${c.id}, the binary did: ${observed}`,
          );
          if (harm) assert.equal(r.backend.refusedUpgrades[0]?.httpVersion, '1.0', observed);
          else assert.equal(r.backend.connections[0]?.httpVersion, '1.1', observed);
        });

        it('nginx/upstream-keepalive-http10: kept-alive upstream connections go unused over the default exactly where wslb reports it', async () => {
          const c = caseOf('nginx/upstream-keepalive-http10');
          const bad = badText(c);
          const expectHarm = fires(c, bad, version);
          const m = await measure(c, bad, 'bad');
          recordVersionRun({
            rule: c.id,
            system,
            version,
            wslbFires: expectHarm,
            harm: m.harmful,
            agrees: m.harmful === expectHarm,
            observed: m.observed,
          });
          assert.equal(
            m.harmful,
            expectHarm,
            `nginx ${version}: wslb ${expectHarm ? 'reports' : 'does not report'} ${c.id}; ${m.observed}`,
          );
          if (!expectHarm) assertFixed(c, m);
        });
      } else {
        it('haproxy/ws-missing-timeout-tunnel: without timeout tunnel the idle WebSocket is cut at the client/server timeout', async () => {
          const c = caseOf('haproxy/ws-missing-timeout-tunnel');
          const e = c.expect;
          assert.equal(e.kind, 'idle-cut');
          if (e.kind !== 'idle-cut') return;
          const bad = badText(c);
          const expectHarm = fires(c, bad, version);
          const [rb, rg] = await Promise.all([run(c, bad, 'bad'), run(c, goodText(c), 'good')]);
          const client = await openWsOk(rb.url);
          await client.waitIdentity();
          const [closed, survived] = await Promise.all([client.waitClose(e.cutAfterMs + 1500), showSurvives(c, rg)]);
          const harm = closed !== undefined && closed.sinceLastActivityMs < e.cutAfterMs + 800;
          const observed = closed
            ? `bad: closed with ${closed.code} after ${Math.round(closed.sinceLastActivityMs)} ms idle; good (timeout tunnel): ${survived}`
            : `bad: still open after ${e.cutAfterMs + 1500} ms idle`;
          recordVersionRun({
            rule: c.id,
            system,
            version,
            wslbFires: expectHarm,
            harm,
            agrees: harm === expectHarm,
            observed,
          });
          assert.equal(harm, expectHarm, `HAProxy ${version}: ${observed}`);
        });

        it('haproxy/no-hard-stop-after: after a soft reload the old process keeps its WebSocket, also with close-spread-time; hard-stop-after ends it', async () => {
          const c = caseOf('haproxy/no-hard-stop-after');
          const bad = badText(c);
          const expectHarm = fires(c, bad, version);
          const fixed = wslbFixed(c, optionsFor(system, version));
          assert.ok(fixed, `wslb offers a fix for ${c.id} on ${version}`);
          // close-spread-time (2.6+) spreads the closing of idle HTTP connections over a soft stop;
          // wslb's message says it does not end WebSockets, so the bad config keeps its harm with it.
          const spread = bad.replace(/^(\s*global\s*\n)/m, '$1  close-spread-time 1s\n');
          assert.notEqual(spread, bad, 'close-spread-time inserted in global');
          const [mb, ms, mf] = await Promise.all([
            measure(c, bad, 'bad'),
            measure(c, spread, 'spread'),
            measure(c, fixed.live, 'fixed'),
          ]);
          const harm = mb.harmful && ms.harmful;
          const observed = `without hard-stop-after: ${mb.observed}; with close-spread-time 1s: ${ms.observed}; with ${fixed.scaled ?? 'the fix'}: ${mf.observed}`;
          recordVersionRun({
            rule: c.id,
            system,
            version,
            wslbFires: expectHarm,
            harm,
            agrees: harm === expectHarm,
            observed,
          });
          assert.equal(mb.harmful, expectHarm, `HAProxy ${version}: ${mb.observed}`);
          assert.equal(ms.harmful, expectHarm, `HAProxy ${version} with close-spread-time: ${ms.observed}`);
          assertFixed(c, mf);
        });
      }
    });
  }
}
