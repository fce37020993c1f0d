// The main job on the bundled examples: `wslb check examples`, in text and SARIF.
// Exit code 1 from wslb means "error-level findings" — expected for these examples — so this
// script succeeds when wslb ran (0 or 1) and fails on usage/input errors (2) or a crash.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const cli = 'dist/cli/wslb.js';
const text = spawnSync(process.execPath, [cli, 'check', 'examples'], { stdio: 'inherit' });
if (text.status !== 0 && text.status !== 1) process.exit(text.status ?? 2);
const sarif = spawnSync(process.execPath, [cli, 'check', 'examples', '--format', 'sarif'], { encoding: 'utf8' });
if (sarif.status !== 0 && sarif.status !== 1) {
  process.stderr.write(sarif.stderr);
  process.exit(sarif.status ?? 2);
}
mkdirSync('test-artifacts', { recursive: true });
writeFileSync('test-artifacts/examples.sarif', sarif.stdout);
const results = JSON.parse(sarif.stdout).runs[0].results.length;
console.log(`\nSARIF with ${results} results written to test-artifacts/examples.sarif`);
