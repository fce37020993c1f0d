/** Shared by the CLI tests: run `wslb` in process, and write a throw-away folder of files. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/wslb';

export const REPO = path.resolve(__dirname, '../..');

/** Runs `wslb <args>` in process; returns its exit code and what it printed. */
export function runCli(args: string[], cwd = REPO): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (s) => (out += s), err: (s) => (err += s), cwd, isTTY: false });
  return { code, out, err };
}

/** A fresh temporary folder holding `files` (relative path → text). */
export function tmpdirWith(files: Record<string, string>, prefix = 'wslb-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [p, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), t);
  }
  return dir;
}
