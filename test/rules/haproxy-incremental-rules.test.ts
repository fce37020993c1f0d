/**
 * Rules that keep answers across one-line edits of a HAProxy file (service/haproxy-incremental.ts:
 * the config is updated in place and per-proxy answers follow the one replaced proxy). Each step
 * edits one line, is analysed incrementally, and must give what a fresh analysis of the new text
 * gives; the steps are chosen so that the remembered answers have to change.
 */
import { strict as assert } from 'node:assert';
import { createLanguageService } from '../../server/src/service';
import { HaproxyIncremental } from '../../server/src/service/host/haproxy';
import type { TextEdit } from '../../server/src/service/text';

const service = createLanguageService();

/** Replaces the first `from` from where `anchor` first starts by `to`, as one edit. */
function editAfter(text: string, anchor: string, from: string, to: string): TextEdit {
  const a = text.indexOf(anchor);
  assert.ok(a >= 0, anchor);
  const offset = text.indexOf(from, a);
  assert.ok(offset >= 0, `${from} after ${anchor}`);
  return { offset, deleted: from.length, inserted: to };
}

function apply(text: string, e: TextEdit): string {
  return text.slice(0, e.offset) + e.inserted + text.slice(e.offset + e.deleted);
}

/**
 * Runs the steps; after each, the incremental findings equal a fresh analysis; returns the codes
 * per step. `lineOnly`: each step must take the line-by-line path (not a fresh parse).
 */
function run(start: string, steps: [anchor: string, from: string, to: string][], lineOnly = true): string[][] {
  const inc = new HaproxyIncremental();
  const file = '/inc/haproxy.cfg';
  inc.analyze(service, file, start);
  let text = start;
  const codes: string[][] = [];
  for (const [anchor, from, to] of steps) {
    const e = editAfter(text, anchor, from, to);
    text = apply(text, e);
    const got = inc.analyze(service, file, text, [e]);
    if (lineOnly) assert.equal(inc.lastKind, 'line', `incremental: ${anchor} ${from} -> ${to}`);
    assert.deepEqual(
      got.findings,
      service.analyzeHaproxy([{ path: file, text }]).findings,
      `after ${anchor}: ${from} -> ${to}`,
    );
    codes.push(got.findings.map((f) => `${f.range.start.line + 1}:${f.code}`));
  }
  return codes;
}

const BASE = [
  'defaults',
  '    mode http',
  '    timeout connect 5s',
  '    timeout client 30s',
  '    timeout server 30s',
  '    default_backend app',
  'frontend fe',
  '    bind :80',
  '    mode http',
  'frontend fe2',
  '    bind :81',
  '    mode http',
  '    use_backend other',
  'backend app',
  '    mode http',
  '    server a 10.0.0.1:80 check',
  'backend other',
  '    mode http',
  '    server b 10.0.0.2:80 check',
  '',
].join('\n');

describe('HAProxy rules across one-line edits', () => {
  it('backend-mode-mismatch follows mode edits of a backend, of the frontend naming it, and of frontends using a defaults default_backend', () => {
    const mismatch = (codes: string[]) => codes.filter((c) => c.endsWith('haproxy/backend-mode-mismatch'));
    const steps = run(BASE, [
      ['\nbackend other', 'http', 'tcp'], // fe2 (http) -> other (tcp): line 13
      ['frontend fe2', 'http', 'tcp'], // fe2 now tcp: allowed
      ['frontend fe2', 'tcp', 'http'], // back
      ['\nbackend app', 'http', 'tcp'], // defaults' default_backend app, used by fe and fe2 (http): line 6
      ['frontend fe\n', 'http', 'tcp'], // fe tcp; fe2 still http through the defaults
      ['frontend fe2', 'http', 'tcp'], // both tcp: no mismatch left
      ['\nbackend app', 'tcp', 'http'],
      ['frontend fe\n', 'tcp', 'http'],
      ['frontend fe2', 'tcp', 'http'], // other is still tcp
      ['\nbackend other', 'tcp', 'http'],
    ]);
    if (process.env.DBG) console.log(JSON.stringify(steps.map(mismatch)));
    assert.deepEqual(steps.map(mismatch), [
      ['13:haproxy/backend-mode-mismatch'],
      [],
      ['13:haproxy/backend-mode-mismatch'],
      ['6:haproxy/backend-mode-mismatch', '13:haproxy/backend-mode-mismatch'], // fe and fe2 (http) use app through the defaults
      ['6:haproxy/backend-mode-mismatch', '13:haproxy/backend-mode-mismatch'], // fe2 still does
      [],
      [],
      [],
      ['13:haproxy/backend-mode-mismatch'],
      [],
    ]);
  });

  it('a WebSocket marker typed in upper case, inside a backend or on the line above one (in the section before), is seen', () => {
    const tunnel = (codes: string[]) => codes.filter((c) => c.endsWith('haproxy/ws-missing-timeout-tunnel'));
    const inside = BASE.replace('\nbackend other\n', '\nbackend other\n    # WSLB: websockex\n');
    const steps = run(inside, [
      ['# WSLB: ', 'websockex', 'websocket'],
      ['# WSLB: ', 'websocket', 'websockez'],
    ]);
    assert.deepEqual(steps.map(tunnel), [['17:haproxy/ws-missing-timeout-tunnel'], []]);
    // the comment line belongs to frontend fe2 but marks backend app below it
    const above = BASE.replace('\nbackend app\n', '\n    # WSLB: websockex\nbackend app\n');
    const steps2 = run(
      above,
      [
        ['# WSLB: ', 'websockex', 'websocket'],
        ['# WSLB: ', 'websocket', 'websockez'],
      ],
      false,
    );
    assert.deepEqual(steps2.map(tunnel), [['15:haproxy/ws-missing-timeout-tunnel'], []]);
  });

  it('knowledge findings and suppression comments carried over line edits (the other lines keep theirs)', () => {
    const text = BASE.replace(
      '    server a 10.0.0.1:80 check\n',
      '    server a 10.0.0.1:80 check\n    stik on src\n    # wslb-disable-next-line haproxy/unknown-keyword\n    stik on dst\n    balanse roundrobin\n',
    );
    const unknown = (codes: string[]) => codes.filter((c) => c.endsWith('haproxy/unknown-keyword'));
    const steps = run(text, [
      ['\nbackend app', 'mode http', 'mode  http'], // a line before them gets longer
      ['\nfrontend fe2', 'bind :81', 'bind :8'], // and one further up shorter
      ['stik on src', 'stik', 'stick'], // the first one fixed
      ['balanse', 'balanse', 'balance'],
      ['stick on src', 'stick', 'stik'], // back
      ['stik on dst', 'dst', 'ds'], // the silenced line itself
    ]);
    assert.deepEqual(steps.map(unknown), [
      ['17:haproxy/unknown-keyword', '20:haproxy/unknown-keyword'],
      ['17:haproxy/unknown-keyword', '20:haproxy/unknown-keyword'],
      ['20:haproxy/unknown-keyword'],
      [],
      ['17:haproxy/unknown-keyword'],
      ['17:haproxy/unknown-keyword'],
    ]);
  });

  it('backend-mode-mismatch follows an edit of the route itself and of a `disabled` line', () => {
    const text = BASE.replace('    use_backend other\n', '    use_backend other\n    enabled\n').replace(
      'backend other\n    mode http',
      'backend other\n    mode tcp',
    );
    const steps = run(text, [
      ['frontend fe2', 'use_backend other', 'use_backend otherx'], // unknown backend now
      ['frontend fe2', 'use_backend otherx', 'use_backend other'],
      ['frontend fe2', 'enabled', 'disabled'], // a disabled frontend is not checked
      ['frontend fe2', 'disabled', 'enabled'],
    ]);
    const has = (codes: string[]) => codes.some((c) => c.endsWith('haproxy/backend-mode-mismatch'));
    assert.deepEqual(steps.map(has), [false, true, false, true]);
  });
});
