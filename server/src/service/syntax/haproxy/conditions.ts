/**
 * `.if` / `.elif` conditions of HAProxy 2.6: parsing (to report what HAProxy refuses) and
 * evaluation where the answer does not depend on the machine (numbers, version tests, string
 * comparisons); `defined()`, `feature()` and the SSL-library tests need a context, else the
 * result is unknown.
 *
 * Facts (HAProxy v2.6.0 src/cfgcond.c, src/arg.c `make_arg_list()`, src/cfgparse.c): the words
 * after `.if` are joined with single spaces; an empty condition is false; an expression is terms
 * joined by `&&` (binds tighter) and `||`; a term is any number of `!`, then a number as C's
 * `strtol(.., 0)` reads it (non-zero is true), or `( expr )`, or a predicate directly followed by
 * its parenthesised, comma-separated arguments (quotes and backslash escapes allowed);
 * predicates: defined, feature, streq, strneq, version_atleast, version_before,
 * openssl_version_atleast, openssl_version_before, ssllib_name_startswith; anything left after
 * the expression is an error.
 */
import { clipWord } from '../../words';

export type CondNode =
  | { kind: 'const'; value: boolean; neg: boolean }
  | { kind: 'paren'; expr: CondNode; neg: boolean }
  | { kind: 'pred'; name: string; args: string[]; neg: boolean }
  | { kind: 'and' | 'or'; left: CondNode; right: CondNode };

export interface ConditionError {
  message: string;
  /** Offset in the condition text. */
  at: number;
}

export interface ParsedCondition {
  /** null for an empty condition (false) or on error. */
  expr: CondNode | null;
  error: ConditionError | null;
}

/** Number of arguments of each predicate (all are mandatory). */
const PREDICATES: ReadonlyMap<string, number> = new Map([
  ['defined', 1],
  ['feature', 1],
  ['streq', 2],
  ['strneq', 2],
  ['version_atleast', 1],
  ['version_before', 1],
  ['openssl_version_atleast', 1],
  ['openssl_version_before', 1],
  ['ssllib_name_startswith', 1],
]);

/** cfgcond.c limits the recursion depth; any sane condition stays far below this. */
const MAX_DEPTH = 1024;

class Fail extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseCondition(text: string): ParsedCondition {
  let i = 0;
  const skip = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  skip();
  if (i >= text.length) return { expr: null, error: null };

  const parseExpr = (depth: number): CondNode => {
    if (depth > MAX_DEPTH) throw new Fail(i, 'conditional expression nested too deeply');
    const left = parseAnd(depth + 1);
    skip();
    if (text.startsWith('||', i)) {
      i += 2;
      skip();
      return { kind: 'or', left, right: parseExpr(depth + 1) };
    }
    return left;
  };
  const parseAnd = (depth: number): CondNode => {
    if (depth > MAX_DEPTH) throw new Fail(i, 'conditional expression nested too deeply');
    skip();
    if (i >= text.length) throw new Fail(i, 'missing term in conditional expression');
    const left = parseTerm(depth + 1);
    skip();
    if (text.startsWith('&&', i)) {
      i += 2;
      skip();
      return { kind: 'and', left, right: parseAnd(depth + 1) };
    }
    return left;
  };
  const parseTerm = (depth: number): CondNode => {
    const start = i;
    let neg = false;
    while (text[i] === '!') {
      neg = !neg;
      do i++;
      while (text[i] === ' ' || text[i] === '\t');
    }
    const num = /^[ \t\n\v\f\r]*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text.slice(i, i + 64));
    if (num) {
      i += num[0].length;
      const digits = num[0].replace(/^[\s+-]+/, '');
      const v =
        digits.startsWith('0x') || digits.startsWith('0X')
          ? parseInt(digits, 16)
          : digits.startsWith('0') && digits.length > 1
            ? parseInt(digits, 8)
            : parseInt(digits, 10);
      return { kind: 'const', value: v !== 0, neg };
    }
    if (text[i] === '(') {
      do i++;
      while (text[i] === ' ' || text[i] === '\t');
      if (i >= text.length) throw new Fail(start, `unparsable conditional expression '${clipWord(text.slice(start))}'`);
      const expr = parseExpr(depth + 1);
      skip();
      if (text[i] !== ')')
        throw new Fail(i, `expected ')' after conditional expression '${clipWord(text.slice(start))}'`);
      do i++;
      while (text[i] === ' ' || text[i] === '\t');
      return { kind: 'paren', expr, neg };
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '(') j++;
    const name = text.slice(i, j);
    const nargs = PREDICATES.get(name);
    if (nargs === undefined) throw new Fail(i, `unparsable conditional expression '${clipWord(text.slice(i))}'`);
    i = j;
    return { kind: 'pred', name, args: readArgs(name, nargs), neg };
  };
  /**
   * make_arg_list() (src/arg.c): without a '(' right after the name the predicate gets one empty
   * argument; otherwise arguments are read up to ',' or ')' outside quotes, with backslash
   * escapes; all arguments are mandatory and a ')' must close the list.
   */
  const readArgs = (name: string, nargs: number): string[] => {
    const args: string[] = [];
    if (text[i] !== '(') {
      args.push('');
      if (nargs > 1) throw new Fail(i, `missing arguments (got 1/${nargs}) of predicate '${clipWord(name)}'`);
      return args;
    }
    i++;
    for (;;) {
      let out = '';
      let sq = false;
      let dq = false;
      while (i < text.length) {
        const c = text[i];
        if (c === '"' && !sq) {
          dq = !dq;
          i++;
          continue;
        }
        if (c === "'" && !dq) {
          sq = !sq;
          i++;
          continue;
        }
        if (c === '\\' && !sq) {
          const n = text[i + 1];
          if (n === undefined)
            throw new Fail(i, `unfinished escape in argument ${args.length + 1} of predicate '${clipWord(name)}'`);
          if (n === '\\' || n === ' ' || n === '"' || n === "'") {
            out += n;
            i += 2;
          } else if (n === 'r') {
            out += '\r';
            i += 2;
          } else if (n === 'n') {
            out += '\n';
            i += 2;
          } else if (n === 't') {
            out += '\t';
            i += 2;
          } else {
            out += c;
            i++;
          }
          continue;
        }
        if (!sq && !dq && (c === ',' || c === ')')) break;
        out += c;
        i++;
      }
      args.push(out);
      if (i >= text.length || text[i] === ')' || args.length >= nargs) break;
      i++; // ','
    }
    if (args.length < nargs)
      throw new Fail(i, `missing arguments (got ${args.length}/${nargs}) of predicate '${clipWord(name)}'`);
    if (text[i] !== ')') throw new Fail(i, `expected ')' after the arguments of predicate '${clipWord(name)}'`);
    i++;
    return args;
  };

  try {
    const expr = parseExpr(0);
    skip();
    if (i < text.length)
      return {
        expr: null,
        error: {
          at: i,
          message: `unexpected character '${clipWord(text[i])}' at the end of the conditional expression`,
        },
      };
    return { expr, error: null };
  } catch (e) {
    if (e instanceof Fail) return { expr: null, error: { at: Math.min(e.at, text.length), message: e.message } };
    throw e;
  }
}

export interface ConditionContext {
  /** HAProxy version the config targets, e.g. "2.6.12" (default). */
  version?: string;
  /** Environment variables known to be set (for defined()); unknown when absent. */
  env?: ReadonlySet<string>;
  /** Build features, as `haproxy -vv` lists them without +/- (for feature()); unknown when absent. */
  features?: ReadonlySet<string>;
}

/** Compares dotted versions; "-devN" and other suffixes come before the release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): number[] => {
    const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(v.trim());
    if (!m) return [];
    const nums = m[1].split('.').map(Number);
    while (nums.length < 3) nums.push(0);
    nums.push(m[2] ? (/^-dev(\d+)/.exec(m[2]) ? Number(/^-dev(\d+)/.exec(m[2])![1]) - 1000 : -1) : 0);
    return nums;
  };
  const x = parse(a);
  const y = parse(b);
  for (let k = 0; k < Math.max(x.length, y.length); k++) {
    const d = (x[k] ?? 0) - (y[k] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** true/false, or undefined when the answer depends on what the context does not say. */
export function evaluateCondition(expr: CondNode | null, ctx: ConditionContext = {}): boolean | undefined {
  if (expr === null) return false;
  const version = ctx.version ?? '2.6.12';
  const neg = (v: boolean | undefined, n: boolean): boolean | undefined => (v === undefined ? undefined : n ? !v : v);
  const ev = (e: CondNode): boolean | undefined => {
    switch (e.kind) {
      case 'const':
        return neg(e.value, e.neg);
      case 'paren':
        return neg(ev(e.expr), e.neg);
      case 'and': {
        const l = ev(e.left);
        if (l === false) return false;
        const r = ev(e.right);
        if (r === false) return false;
        return l === true && r === true ? true : undefined;
      }
      case 'or': {
        const l = ev(e.left);
        if (l === true) return true;
        const r = ev(e.right);
        if (r === true) return true;
        return l === false && r === false ? false : undefined;
      }
      case 'pred': {
        const a = e.args;
        if (a.some((x) => x.includes('$'))) return undefined; // environment not expanded here
        let v: boolean | undefined;
        switch (e.name) {
          case 'streq':
            v = a[0] === a[1];
            break;
          case 'strneq':
            v = a[0] !== a[1];
            break;
          case 'version_atleast':
            v = compareVersions(version, a[0]) >= 0;
            break;
          case 'version_before':
            v = compareVersions(version, a[0]) < 0;
            break;
          case 'defined':
            v = ctx.env ? ctx.env.has(a[0]) : undefined;
            break;
          case 'feature':
            v = ctx.features ? ctx.features.has(a[0]) : undefined;
            break;
          default:
            v = undefined;
        }
        return neg(v, e.neg);
      }
    }
  };
  return ev(expr);
}
