/**
 * The CLI's executable, dist/cli/wslb.js: a few lines that load the code (dist/cli/wslb-main.js,
 * built from wslb.ts) with V8's compiled code kept between runs, so that a run after the first
 * does not compile the bundle again (issue 21: start-up).
 * - Node 22.1 and later: Node's own compile cache (`module.enableCompileCache`).
 * - Older Node (20): the bundle is compiled with `vm.Script` and the code V8 produced during the
 *   run is written at exit (`createCachedData`), read back by the next run. The cache lives in a
 *   folder of the user's own (mode 0700) in the temporary folder, named after the Node version
 *   and the bundle's size and modification time (V8 itself only checks the source's length). A
 *   `check` keeps a cache of its own, the other commands one together: the code a run compiles
 *   differs, and the cache is written by the first run only.
 * Without a usable cache folder (Windows, a read-only or foreign folder) the code is compiled as
 * without a cache.
 */
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as cli from './wslb';

const MAIN = path.join(__dirname, 'wslb-main.js');

/** The user's own cache folder, or undefined when there is none to trust. */
function cacheFolder(): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = path.join(os.tmpdir(), `wslb-compile-cache-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const st = fs.lstatSync(dir);
  return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0 ? dir : undefined;
}

/** The bytes of `file`, read into `buf` from `at` on when they fit (with what `buf` has before `at`). */
function readInto(file: string, buf: Buffer, at = 0): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const out = at + size <= buf.length ? buf : Buffer.allocUnsafeSlow(at + size);
    if (out !== buf) buf.copy(out, 0, 0, at);
    let done = at;
    for (let n = 1; n > 0 && done < at + size; done += n) n = fs.readSync(fd, out, done, at + size - done, null);
    return out.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}

/** wslb-main.js compiled with the code cache of an earlier run (written at exit when there was none). */
function compileCached(): vm.Script | undefined {
  const dir = cacheFolder();
  if (!dir) return undefined;
  const st = fs.statSync(MAIN);
  const prefix = `wslb-main-${process.version}-`;
  const [kind, otherKind] = process.argv[2] === 'check' ? ['check', 'other'] : ['other', 'check'];
  const file = path.join(dir, `${prefix}${st.size}-${Math.trunc(st.mtimeMs)}-${kind}.bin`);
  // One buffer for the bundle in Node's module wrapper, then the cache: fresh memory costs a page
  // fault per 4 KB, more than reading. The wrapped source is made in one piece: a string joined
  // of three would be copied once more by V8 before it compiles.
  const [head, tail] = nodeModule.wrap('\0').split('\0');
  const buf = Buffer.allocUnsafeSlow(head.length + st.size + tail.length);
  buf.write(head, 'latin1');
  const code = readInto(MAIN, buf, head.length);
  const whole = code.length + tail.length <= buf.length ? buf : Buffer.concat([code, Buffer.alloc(tail.length)]);
  whole.write(tail, code.length, 'latin1');
  // (the bundle is ASCII, scripts/build.mjs: read as Latin-1, which needs no decoding)
  const source = whole.toString('latin1', 0, code.length + tail.length);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readInto(file, buf);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(source, { filename: MAIN, cachedData });
  if (cachedData === undefined || script.cachedDataRejected)
    process.once('exit', () => {
      try {
        for (const old of fs.readdirSync(dir))
          if (old.startsWith(prefix) && !old.endsWith(`-${otherKind}.bin`)) fs.rmSync(path.join(dir, old));
        const tmp = `${file}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file); // whole, even with other runs writing at once
      } catch {
        // no cache this time
      }
    });
  return script;
}

function load(): typeof cli {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  let script: vm.Script | undefined;
  if (typeof enable === 'function')
    try {
      enable(); // in the folder Node chooses (NODE_COMPILE_CACHE, else the temporary folder)
    } catch {
      // no cache (a read-only temporary folder): the code compiles as without it
    }
  else
    try {
      script = compileCached();
    } catch {
      // an unusable cache folder: compiled as without a cache
    }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!script) return require('./wslb-main.js') as typeof cli;
  // what Node's CommonJS loader passes a module
  const mod = { exports: {} as typeof cli };
  const init = script.runInThisContext() as (...a: unknown[]) => void;
  init(mod.exports, nodeModule.createRequire(MAIN), mod, MAIN, __dirname);
  return mod.exports;
}

load().start();
