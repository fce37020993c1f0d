import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import type { SimPool } from '../../server/src/service/simulate/types';
import { crc32 } from '../../server/src/service/simulate/hashes';
import { CONTROL_HELP, HEADLINES, METRIC_HELP, fidelityHelp } from '../../client/src/webview/help';
import { renderHtml } from '../../client/src/webview/html';
import { defaultControls, metricRows, runOne, seriesCsv } from '../../client/src/webview/model';
import { PARAM_COLUMNS, captionLines, configPath, exportParams, paramsText } from '../../client/src/webview/params';
import { bytesDataUrl, dataUrlBytes, readPngText, withPngText } from '../../client/src/webview/png';

const server = (i: number) => ({
  name: `10.0.0.${i}:8080`,
  address: `10.0.0.${i}`,
  port: 8080,
  weight: 1,
  backup: false,
  down: false,
});
const NGINX: SimPool = { system: 'nginx', name: 'chat', algorithm: 'round_robin', servers: [server(1), server(2)] };
const AWS: SimPool = { ...NGINX, system: 'aws', name: 'tg', aws: { placeholderTargets: true } };

/** A 1×1 PNG made here (signature, IHDR, IDAT, IEND), independent of the code under test. */
function tinyPng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc32(td), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(Buffer.from([0, 255, 0, 0]))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** The chunk types of a PNG in order, each checked against its CRC. */
function chunks(png: Uint8Array): string[] {
  const b = Buffer.from(png);
  const types: string[] = [];
  for (let at = 8; at < b.length;) {
    const len = b.readUInt32BE(at);
    const td = b.subarray(at + 4, at + 8 + len);
    assert.equal(b.readUInt32BE(at + 8 + len), crc32(td), `CRC of chunk ${types.length}`);
    types.push(td.subarray(0, 4).toString('latin1'));
    at += 12 + len;
  }
  return types;
}

describe('simulator panel: help and exports', () => {
  it('has a plain-words tooltip for every control of the page and every metric', () => {
    const html = renderHtml({ cspSource: 'x', scriptUri: 'x', nonce: 'n' });
    const ids = [...html.matchAll(/<(?:input|select|button)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(ids.length >= 15, ids.join(','));
    // "Apply to config" says what it would write (or why it cannot) once a pool is shown.
    assert.deepEqual(
      ids.filter((id) => id !== 'apply' && !CONTROL_HELP[id]),
      [],
    );
    for (const m of metricRows(AWS)) assert.ok((METRIC_HELP[m.key] ?? '').length > 40, m.key);
    assert.match(METRIC_HELP.failedAttempts, /once per try/);
    assert.equal(new Set(HEADLINES.map((h) => h.label)).size, 3);
    assert.match(fidelityHelp(AWS), /model/);
  });

  it('headline numbers come from the run', () => {
    const run = runOne(NGINX, 'round_robin', { ...defaultControls(NGINX), clients: 200, durationSec: 600 });
    const m = run.result!.metrics;
    assert.deepEqual(
      HEADLINES.map((h) => h.format(h.value(m))),
      [`${m.imbalance.toFixed(2)}×`, String(m.dropped), String(m.peakNewPerSecond)],
    );
  });

  it('writes the parameters into every CSV row', () => {
    const c = { ...defaultControls(NGINX), clients: 200, durationSec: 600, scenario: 'failure' as const, seed: 7 };
    const runs = [runOne(NGINX, 'round_robin', c)];
    const p = exportParams('file:///srv/lb,1/nginx.conf', NGINX, c);
    const csv = seriesCsv(
      runs,
      PARAM_COLUMNS.map((k) => [k, p[k]]),
    )
      .trimEnd()
      .split('\n');
    assert.equal(
      csv[0],
      'algorithm,t_sec,open:10.0.0.1:8080,open:10.0.0.2:8080,new:10.0.0.1:8080,new:10.0.0.2:8080,imbalance,cv,dropped,connected,' +
        'config,pool,system,scenario,clients,natShare,natAddresses,reconnect,drain,lifetimeHours,durationSec,heartbeatSec,seed',
    );
    assert.equal(csv.length, 1 + runs[0].result!.series.length);
    for (const row of csv.slice(1))
      assert.ok(row.endsWith(',"/srv/lb,1/nginx.conf",chat,nginx,failure,200,0,4,immediate,true,1,600,30,7'), row);
  });

  it('names the config as a path and writes a caption', () => {
    assert.equal(configPath('file:///work/a%20b.conf'), '/work/a b.conf');
    assert.equal(configPath('file:///c%3A/lb/haproxy.cfg'), 'c:/lb/haproxy.cfg');
    assert.equal(configPath('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(configPath(undefined), '');
    const c = { ...defaultControls(NGINX), compareWith: 'least_conn', natShare: 0.25, scenario: 'deploy' as const };
    const p = exportParams('file:///etc/nginx/conf.d/chat.conf', NGINX, c);
    assert.deepEqual(captionLines(p, NGINX), [
      'nginx upstream chat in chat.conf: round_robin vs least_conn',
      'Deploy (rolling restart) · 1,000 clients · 25% behind NAT (4 addresses) · reconnect immediate · drained · lifetime 1 h · 60 min · seed 1',
    ]);
    assert.match(
      paramsText(p),
      /^config=\/etc\/nginx\/conf\.d\/chat\.conf\npool=chat\nsystem=nginx\nalgorithm=round_robin\n/,
    );
  });

  it('puts text chunks into a PNG after its header, each with a valid CRC, and reads them back', () => {
    const png = tinyPng();
    assert.deepEqual(chunks(png), ['IHDR', 'IDAT', 'IEND']);
    const out = withPngText(png, { Title: 'chat: least_conn', Comment: 'config=/tmp/ü.conf\nseed=3' });
    assert.deepEqual(chunks(out), ['IHDR', 'iTXt', 'iTXt', 'IDAT', 'IEND']);
    assert.deepEqual(readPngText(out), { Title: 'chat: least_conn', Comment: 'config=/tmp/ü.conf\nseed=3' });
    assert.deepEqual(dataUrlBytes(bytesDataUrl(out)), out);
    const corrupt = Uint8Array.from(out);
    corrupt[8 + 25 + 12] ^= 1; // a byte inside the first iTXt chunk's data
    assert.deepEqual(Object.keys(readPngText(corrupt)), ['Comment']);
    const notPng = new Uint8Array([1, 2, 3]);
    assert.equal(withPngText(notPng, { a: 'b' }), notPng);
  });
});
