/**
 * One table of settings (common/settings.ts) behind every reader: package.json's
 * contributes.configuration is what scripts/manifest.ts renders from it and from the rule
 * registry; the server's defaults, its normalisation and the service's defaults are the table's
 * (issue 20 point 9, issue 21 "settings defaults ×4").
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLIENT_ONLY_SETTINGS, SETTINGS, SETTINGS_TITLE, settingDefault } from '../../common/settings';
import { renderManifest } from '../../scripts/manifest';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/protocol';
import { normalizeSettings, settingsToOptions } from '../../server/src/lsp/project';
import { severityOfWord } from '../../server/src/service/options';
import { DEFAULT_OPTIONS } from '../../server/src/service/options';
import { allCodes } from '../../server/src/service/codes';
import { parseNginxTime } from '../../server/src/service/model/units';

const REPO = path.resolve(__dirname, '..', '..');
const manifestText = fs.readFileSync(path.join(REPO, 'package.json'), 'utf8');
interface Prop {
  default: unknown;
  order: number;
  properties?: Record<string, { enum: string[]; description: string }>;
  additionalProperties?: unknown;
}
const configuration = (
  JSON.parse(manifestText) as { contributes: { configuration: { title: string; properties: Record<string, Prop> } } }
).contributes.configuration;

describe('settings: one table (common/settings.ts)', () => {
  it('package.json contributes.configuration is the table rendered (npx tsx scripts/gen-rule-docs.ts)', () => {
    assert.equal(manifestText, renderManifest(manifestText));
  });

  it('is titled "WebSocket LB Doctor" and ordered with the heartbeat first', () => {
    assert.equal(configuration.title, SETTINGS_TITLE);
    assert.equal(SETTINGS_TITLE, 'WebSocket LB Doctor');
    const byOrder = Object.entries(configuration.properties)
      .sort((a, b) => a[1].order - b[1].order)
      .map(([k]) => k);
    assert.equal(byOrder[0], 'wslb.heartbeat');
    assert.equal(new Set(Object.values(configuration.properties).map((p) => p.order)).size, byOrder.length);
    assert.deepEqual(
      Object.keys(configuration.properties),
      Object.keys(SETTINGS).map((k) => `wslb.${k}`),
    );
  });

  it('wslb.rules offers every rule and check id of the registry, and only those', () => {
    const rules = configuration.properties['wslb.rules'];
    const ids = allCodes().map((c) => c.id);
    assert.deepEqual(Object.keys(rules.properties!).sort(), [...ids].sort());
    assert.equal(rules.additionalProperties, false);
    for (const c of allCodes()) {
      const p = rules.properties![c.id];
      assert.deepEqual(p.enum, ['off', 'error', 'warning', 'info', 'hint']);
      assert.ok(p.description.length > 10 && !p.description.includes('`'), c.id);
    }
  });

  it("the server's defaults, normalisation and the service's options are the table's", () => {
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(DEFAULT_SETTINGS))
      if (k === 'trace') flat['trace.server'] = (v as { server: string }).server;
      else flat[k] = v;
    const serverSide = Object.keys(SETTINGS).filter((k) => !CLIENT_ONLY_SETTINGS.includes(k as keyof typeof SETTINGS));
    assert.deepEqual(Object.keys(flat).sort(), serverSide.sort());
    for (const k of serverSide) assert.deepEqual(flat[k], SETTINGS[k as keyof typeof SETTINGS].default, k);
    assert.deepEqual(normalizeSettings({}), DEFAULT_SETTINGS);
    assert.deepEqual(normalizeSettings({ codeLens: 'bogus', debounceMs: -1 }), DEFAULT_SETTINGS);
    const opts = settingsToOptions(DEFAULT_SETTINGS);
    assert.equal(opts.heartbeatMs, DEFAULT_OPTIONS.heartbeatMs);
    assert.equal(DEFAULT_OPTIONS.heartbeatMs, parseNginxTime(settingDefault('heartbeat')));
    assert.equal(opts.heartbeatSet, false);
    assert.equal(DEFAULT_OPTIONS.nginxVersion, settingDefault('nginxVersion'));
    assert.equal(DEFAULT_OPTIONS.haproxyVersion, settingDefault('haproxyVersion'));
  });

  it('rule severities and versions are read from settings as the CLI reads them', () => {
    const opts = settingsToOptions({
      ...DEFAULT_SETTINGS,
      rules: { 'nginx/ws-read-timeout': 'WARN', 'haproxy/server-no-check': 'off', x: 'constructor', y: 'loud' },
      nginxVersion: '1.31.4',
      haproxyVersion: 'latest',
    });
    assert.deepEqual(opts.ruleSeverity, { 'nginx/ws-read-timeout': 'warning', 'haproxy/server-no-check': 'off' });
    assert.equal(severityOfWord('Info'), 'information');
    assert.equal(severityOfWord('toString'), undefined);
    assert.deepEqual([opts.nginxVersion, opts.nginxVersionSet], ['1.31.4', true]);
    assert.deepEqual([opts.haproxyVersion, opts.haproxyVersionSet], [DEFAULT_SETTINGS.haproxyVersion, false]);
  });

  it('no other source file writes the defaults again', () => {
    const sources = [
      'client/src/extension.ts',
      'client/src/extension/status.ts',
      'client/src/extension/server.ts',
      'server/src/lsp/protocol.ts',
      'server/src/lsp/project.ts',
      'server/src/service/options.ts',
    ];
    for (const f of sources) {
      const text = fs.readFileSync(path.join(REPO, f), 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
      for (const literal of ["'1.22.1'", "'2.6.12'", "'30s'", '30_000'])
        assert.ok(!text.includes(literal), `${f} writes ${literal}`);
    }
  });

  it('common/ is compiled, linted and bundled with the rest', () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(REPO, 'tsconfig.json'), 'utf8')) as { include: string[] };
    assert.ok(tsconfig.include.includes('common'));
    // Plain data: importable from the client, the server and the webview alike.
    const src = fs.readFileSync(path.join(REPO, 'common/settings.ts'), 'utf8');
    assert.doesNotMatch(src, /^import /m);
  });
});
