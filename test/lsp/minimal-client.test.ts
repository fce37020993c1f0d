/**
 * Clients that declare less than VS Code (Neovim's simpler setups, other editors): whatever the
 * `workspace` capabilities, the server reads the settings (from `workspace/configuration` when the
 * client offers it, else from `initializationOptions`) and runs the background check of the
 * workspace folder (issue 23: a client without `workspaceFolders` lost both).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, fileUri } from './client';

// A WebSocket location whose read timeout (20 s) is too short for the default 30 s heartbeat and
// fine for a 5 s one: the finding shows which heartbeat the server used.
const OPENED = `http {
    server {
        listen 80;
        location /ws/ {
            proxy_pass http://10.0.0.1:8080;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 20s;
        }
    }
}
`;
// On disk only, never opened: reported only by the background check.
const ON_DISK = OPENED.replace('proxy_http_version 1.1;', '');

const SETTINGS = { heartbeat: '5s', checkWorkspace: true, debounceMs: 20 };

const CASES: { name: string; workspace: Record<string, unknown>; byConfiguration: boolean }[] = [
  { name: 'configuration, no workspaceFolders', workspace: { configuration: true }, byConfiguration: true },
  { name: 'no workspace capabilities at all', workspace: {}, byConfiguration: false },
  { name: 'workspaceFolders, no configuration', workspace: { workspaceFolders: true }, byConfiguration: false },
  {
    name: 'everything VS Code declares',
    workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
    byConfiguration: true,
  },
];

describe('lsp: clients with few capabilities', function () {
  this.timeout(30_000);
  let tmp: string;
  let c: TestClient | undefined;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-minimal-'));
    fs.writeFileSync(path.join(tmp, 'nginx.conf'), OPENED);
    fs.writeFileSync(path.join(tmp, 'other.conf'), ON_DISK);
  });
  afterEach(async () => {
    await c?.stop();
    c = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const k of CASES) {
    it(`reads the settings and checks the workspace: ${k.name}`, async () => {
      c = new TestClient({
        workspaceFolder: tmp,
        workspaceCapabilities: k.workspace,
        settings: SETTINGS,
        // a client without workspace/configuration passes its settings here (or none at all)
        initializationOptions: k.byConfiguration ? undefined : { settings: SETTINGS },
      });
      await c.initialize();
      const opened = fileUri(path.join(tmp, 'nginx.conf'));
      const other = fileUri(path.join(tmp, 'other.conf'));
      // the background check publishes the file nobody opened
      const bg = await c.waitDiagnostics(other, (d) => d.some((x) => x.code === 'nginx/ws-http-version'));
      assert.ok(bg.length > 0);
      c.open(opened, 'nginx', OPENED);
      const diags = await c.waitDiagnostics(opened);
      assert.deepEqual(
        diags.filter((d) => d.code === 'nginx/ws-read-timeout').map((d) => d.message),
        [],
        'the 5 s heartbeat of the settings applies: 20 s is enough',
      );
      if (k.byConfiguration) assert.ok(c.configurationRequests >= 1, 'settings asked with workspace/configuration');
      else assert.equal(c.configurationRequests, 0, 'no request the client did not declare');
    });
  }
});
