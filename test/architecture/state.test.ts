/**
 * "Only host/ caches or mutates" (docs/architecture.md): no module of the language service outside
 * server/src/service/host keeps state of its own at module level, that is a `let`, or a
 * `WeakMap`/`Map`/`Set` it fills later (declared empty), or a `WeakMap` anywhere (a cache keyed
 * by objects), or a module constant (a table, an array, an object) that a function of the module
 * writes into. Derived facts are declared with host/memo.ts's `fact` instead.
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
  'server/src/service/syntax/haproxy/intern.ts':
    'bounded tables of shared strings for words and keywords: they only map text to an equal string',
  'server/src/service/syntax/haproxy/lexer.ts': 'lexInfo: the side results of the line just lexed, read at once',
  'server/src/service/syntax/haproxy/line-table.ts': "puts back lexer.ts's lexInfo for a row it lexed ahead",
  'server/src/service/syntax/nginx/lexical.ts': 'a bounded table of shared strings for directive names',
  'server/src/service/syntax/nginx/incremental.ts': 'counters of re-read blocks that the tests read',
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

/** Methods that change an array, a typed array, a Map or a Set in place. */
const MUTATORS = new Set([
  'set',
  'add',
  'delete',
  'clear',
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'fill',
  'sort',
]);

/** The names a binding (a name or a destructuring pattern) declares. */
function boundNames(b: ts.BindingName): string[] {
  if (ts.isIdentifier(b)) return [b.text];
  return b.elements.flatMap((e) => (ts.isBindingElement(e) ? boundNames(e.name) : []));
}

/** The names `scope` declares for its own body (parameters, variables, functions, classes). */
function declaredIn(scope: ts.Node): string[] {
  const names: string[] = [];
  if (ts.isFunctionLike(scope)) for (const p of scope.parameters) names.push(...boundNames(p.name));
  if (ts.isCatchClause(scope) && scope.variableDeclaration) names.push(...boundNames(scope.variableDeclaration.name));
  const init =
    ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)
      ? scope.initializer
      : undefined;
  if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) names.push(...boundNames(d.name));
  if (ts.isBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope))
    for (const st of scope.statements) {
      if (ts.isVariableStatement(st))
        for (const d of st.declarationList.declarations) names.push(...boundNames(d.name));
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    }
  return names;
}

/**
 * The module-level name `target` writes into (`x.a = …`, `x[i]++`, `x.set(…)`), when the write is
 * inside a function and no scope between them declares the name again.
 */
function writtenModuleName(target: ts.Expression, moduleNames: Set<string>): string | undefined {
  let e = target;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
  if (e === target || !ts.isIdentifier(e) || !moduleNames.has(e.text)) return undefined;
  let inFunction = false;
  for (let n: ts.Node = e.parent; !ts.isSourceFile(n); n = n.parent) {
    if (declaredIn(n).includes(e.text)) return undefined;
    if (ts.isFunctionLike(n)) inFunction = true;
  }
  return inFunction ? e.text : undefined;
}

/** The expression a node writes into, if it is an assignment, an increment or a mutating call. */
function writeTarget(n: ts.Node): ts.Expression | undefined {
  if (ts.isBinaryExpression(n)) {
    const k = n.operatorToken.kind;
    return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment ? n.left : undefined;
  }
  if (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) {
    const k = n.operator;
    return k === ts.SyntaxKind.PlusPlusToken || k === ts.SyntaxKind.MinusMinusToken ? n.operand : undefined;
  }
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text))
    return n.expression.expression;
  return undefined;
}

/** What in `file` is module state: "line: text" per finding. */
export function moduleState(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const at = (n: ts.Node) => `${lineOf(n)}: ${n.getText().split('\n')[0]}`;
  const moduleNames = new Set<string>();
  const declaredAt = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations)
      for (const name of boundNames(d.name)) {
        moduleNames.add(name);
        declaredAt.set(name, st);
      }
    if (st.declarationList.flags & ts.NodeFlags.Let) found.push(at(st));
    else if (st.declarationList.declarations.some((d) => isEmptyCollection(d.initializer))) found.push(at(st));
  }
  const written = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'WeakMap') {
      if (!found.some((f) => f.startsWith(`${lineOf(n)}:`))) found.push(at(n));
    }
    const target = writeTarget(n);
    const name = target && writtenModuleName(target, moduleNames);
    if (name) written.add(name);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  for (const name of written) {
    const st = declaredAt.get(name)!;
    if (!found.some((f) => f.startsWith(`${lineOf(st)}:`))) found.push(at(st));
  }
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

  it('the check sees a module table a function writes into, not one filled at load or a local one', () => {
    const probe = path.join(REPO, SERVICE, 'model', '.state-probe.ts');
    fs.writeFileSync(
      probe,
      [
        'const slots = new Array<string>(64);',
        'const info = { last: 0 };',
        'const codes = new Uint8Array(128);',
        'for (let c = 48; c < 58; c++) codes[c] = 1;',
        'const local = [1];',
        'export function f(s: string): number {',
        '  const local: number[] = [];',
        '  local.push(1);',
        '  slots[s.length] = s;',
        '  info.last++;',
        '  return codes[s.charCodeAt(0)] + local.length;',
        '}',
        'export const g = () => local.length;',
        '',
      ].join('\n'),
    );
    try {
      assert.deepEqual(
        moduleState(`${SERVICE}/model/.state-probe.ts`).map((l) => l.split(':')[0]),
        ['1', '2'],
      );
    } finally {
      fs.rmSync(probe);
    }
  });
});
