// Bundles the extension client, the language server, the CLI and the webview with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'linked',
};

const targets = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server/server.js', platform: 'node', format: 'cjs', target: 'node18' },
  { entryPoints: ['server/src/cli/wslb.ts'], outfile: 'dist/cli/wslb.js', platform: 'node', format: 'cjs', target: 'node18', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['client/src/webview/main.ts'], outfile: 'dist/webview/main.js', platform: 'browser', format: 'iife', target: 'es2020' },
].filter((t) => existsSync(t.entryPoints[0]));

if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context({ ...common, ...t });
    await ctx.watch();
  }
  console.log('watching', targets.map((t) => t.outfile).join(', '));
} else {
  await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t })));
}
