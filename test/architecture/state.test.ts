/**
 * "Only host/ caches or mutates" (docs/architecture.md): no module of the language service outside
 * server/src/service/host keeps state of its own at module level, that is a `let`, or a
 * `WeakMap`/`Map`/`Set` it fills later (declared empty), or a `WeakMap` anywhere (a cache keyed
 * by objects). Derived facts are declared with host/memo.ts's `fact` instead.
 *
 * STATEFUL lists the files that still do, each with its reason. It may only shrink: a listed file
 * that is already clean fails the test, so the list follows the code.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '..', '..');
const SERVICE = 'server/src/service';

/** Files allowed to keep module state for now, and why. Shrink only. */
const STATEFUL: Record<string, string> = {
  'server/src/service/syntax/aws/cfn.ts': 'the YAML library, loaded on first use',
  'server/src/service/syntax/aws/treesitter.ts': 'the Terraform grammar, loaded on first use',
  'server/src/service/docs/ws-notes.ts': 'an index of the static notes, built once on first use',
  'server/src/service/knowledge/haproxy-tables.ts': "each release's keyword table, parsed on first use",
};

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

const isEmptyCollection = (e: ts.Expression | undefined): boolean =>
  !!e &&
  ts.isNewExpression(e) &&
  ts.isIdentifier(e.expression) &&
  (e.expression.text === 'WeakMap' ||
    ((e.expression.text === 'Map' || e.expression.text === 'Set') && !e.arguments?.length));

/** What in `file` is module state: "line: text" per finding. */
export function moduleState(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (n: ts.Node) =>
    `${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText().split('\n')[0]}`;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    if (st.declarationList.flags & ts.NodeFlags.Let) found.push(at(st));
    else if (st.declarationList.declarations.some((d) => isEmptyCollection(d.initializer))) found.push(at(st));
  }
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'WeakMap') {
      if (!found.some((f) => f.startsWith(`${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}:`)))
        found.push(at(n));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('architecture: only host/ keeps state', () => {
  const files = sourceFiles(SERVICE).filter((f) => !f.startsWith(`${SERVICE}/host/`));

  it('no service module outside host/ keeps module state, except the listed ones', () => {
    const offenders = files
      .filter((f) => !(f in STATEFUL))
      .map((f) => ({ f, state: moduleState(f) }))
      .filter((o) => o.state.length > 0);
    assert.deepEqual(
      offenders.map((o) => `${o.f}\n    ${o.state.join('\n    ')}`),
      [],
      'declare derived facts with host/memo.ts `fact` instead of a module cache',
    );
  });

  it('the list of stateful files only shrinks: every listed file still keeps state', () => {
    const clean = Object.keys(STATEFUL).filter(
      (f) => !fs.existsSync(path.join(REPO, f)) || moduleState(f).length === 0,
    );
    assert.deepEqual(clean, [], 'remove these from STATEFUL in test/architecture/state.test.ts');
  });

  it('the check sees a module cache (a file with one is found)', () => {
    const probe = path.join(REPO, SERVICE, 'model', '.state-probe.ts');
    fs.writeFileSync(
      probe,
      'const cache = new WeakMap<object, number>();\nlet n = 0;\nexport const f = (o: object) => cache.get(o) ?? n++;\n',
    );
    try {
      assert.equal(moduleState(`${SERVICE}/model/.state-probe.ts`).length, 2);
    } finally {
      fs.rmSync(probe);
    }
  });
});
