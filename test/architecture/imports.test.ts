/**
 * The import directions docs/architecture.md states, checked on every TypeScript source file:
 *
 * - the language service (server/src/service) imports neither the front ends (lsp/, cli/, node/,
 *   server.ts), nor the client, nor an editor or LSP package;
 * - the Node layer (server/src/node: the disk) is shared by the front ends and imports only the
 *   service;
 * - the language server (server.ts, lsp/) never imports the CLI, and the CLI never the server;
 * - the client reaches into server/src only through the paths it is allowed (the protocol, type
 *   definitions, content detection, the simulator the webview runs).
 *
 * Imports are read with TypeScript's own pre-processor (static, `export … from`, `import()`,
 * `require()`), so a type-only import counts too.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '..', '..');

interface Import {
  /** Repository-relative path of the importing file. */
  from: string;
  /** What it names: a package name, or a repository-relative path without extension. */
  target: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map(({ fileName }) => ({
    from: file,
    target: fileName.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName)).replace(/\.(ts|js)$/, '')
      : fileName,
  }));
}

const SERVER = sourceFiles('server/src').flatMap(importsOf);
const CLIENT = sourceFiles('client/src').flatMap(importsOf);

const under = (dir: string) => (target: string) => target === dir || target.startsWith(dir + '/');
const EDITOR_PACKAGES = (target: string) => target === 'vscode' || /^vscode-language(server|client)/.test(target);
const FRONT_ENDS = [
  under('server/src/lsp'),
  under('server/src/cli'),
  under('server/src/node'),
  (t: string) => t === 'server/src/server',
];

/** The imports among `imports` from files matching `from` whose target matches one of `banned`. */
function offending(
  imports: Import[],
  from: (file: string) => boolean,
  banned: ((target: string) => boolean)[],
): string[] {
  return imports
    .filter((i) => from(i.from) && banned.some((b) => b(i.target)))
    .map((i) => `${i.from} imports ${i.target}`);
}

/**
 * Imports that break a rule below and are being removed (issue 21); the list may only shrink: an
 * entry that no longer occurs fails too, so that it is taken out.
 */
const KNOWN: string[] = [];

/** The client's imports of server/src outside its allowed paths. */
function clientLeaks(): string[] {
  const allowed = [
    (t: string) => t === 'server/src/lsp/protocol',
    (t: string) => t === 'server/src/service/types',
    (t: string) => t === 'server/src/service/detect' || t === 'server/src/service/aws-detect',
    under('server/src/service/simulate'),
  ];
  return CLIENT.filter((i) => under('server/src')(i.target) && !allowed.some((a) => a(i.target))).map(
    (i) => `${i.from} imports ${i.target}`,
  );
}

describe('import directions (docs/architecture.md)', () => {
  it('reads the imports of every source file', () => {
    assert.ok(SERVER.length > 500 && CLIENT.length > 20, `${SERVER.length} server, ${CLIENT.length} client imports`);
    assert.ok(SERVER.some((i) => i.target === 'server/src/service/types'));
  });

  it('the language service imports no front end, no client and no editor or LSP package', () => {
    const service = under('server/src/service');
    assert.deepEqual(offending(SERVER, service, [...FRONT_ENDS, under('client'), EDITOR_PACKAGES]), []);
  });

  it('the Node layer imports only the service and Node', () => {
    const node = under('server/src/node');
    assert.deepEqual(offending(SERVER, node, [...FRONT_ENDS.slice(0, 2), under('client'), EDITOR_PACKAGES]), []);
    assert.deepEqual(
      offending(SERVER, node, [(t) => t === 'server/src/server']),
      [],
      'the Node layer imports the server',
    );
  });

  it('the language server never imports the CLI, and the CLI never the language server', () => {
    const server = (f: string) => f === 'server/src/server.ts' || f.startsWith('server/src/lsp/');
    assert.deepEqual(offending(SERVER, server, [under('server/src/cli')]), []);
    const cli = under('server/src/cli');
    assert.deepEqual(
      offending(SERVER, cli, [under('server/src/lsp'), (t) => t === 'server/src/server', EDITOR_PACKAGES]),
      [],
    );
  });

  it('the client reaches into server/src only through its allowed paths', () => {
    assert.deepEqual(
      clientLeaks().filter((l) => !KNOWN.includes(l)),
      [],
    );
  });

  it('no known exception is left over once it is gone', () => {
    const leaks = clientLeaks();
    assert.deepEqual(
      KNOWN.filter((k) => !leaks.includes(k)),
      [],
      'these imports no longer occur: take them out of KNOWN',
    );
  });
});
