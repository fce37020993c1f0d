/**
 * The CLI's executable, dist/cli/wslb.js: a few lines that turn on Node's compile cache where Node
 * has one (`module.enableCompileCache`, Node 22.1 and later) and then load the code
 * (dist/cli/wslb-main.js, built from wslb.ts). With the cache, a run after the first reuses V8's
 * compiled code instead of compiling the bundle again (issue 21: start-up). Node 20 has no such
 * cache; there this only loads the code.
 */
import * as nodeModule from 'node:module';
import type * as cli from './wslb';

const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof enable === 'function')
  try {
    enable(); // in the folder Node chooses (NODE_COMPILE_CACHE, else the temporary folder)
  } catch {
    // no cache (a read-only temporary folder): the code compiles as without it
  }
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('./wslb-main.js') as typeof cli).start();
