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
  const reader = new ConditionReader(text);
  reader.skip();
  if (reader.i >= text.length) return { expr: null, error: null };
  try {
    const expr = reader.parseExpr(0);
    reader.skip();
    const i = reader.i;
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

/** A recursive-descent reading of one condition text; `i` is the position reached. */
class ConditionReader {
  i = 0;

  constructor(readonly text: string) {}

  skip(): void {
    const text = this.text;
    while (text[this.i] === ' ' || text[this.i] === '\t') this.i++;
  }

  parseExpr(depth: number): CondNode {
    if (depth > MAX_DEPTH) throw new Fail(this.i, 'conditional expression nested too deeply');
    const left = this.parseAnd(depth + 1);
    this.skip();
    if (this.text.startsWith('||', this.i)) {
      this.i += 2;
      this.skip();
      return { kind: 'or', left, right: this.parseExpr(depth + 1) };
    }
    return left;
  }

  parseAnd(depth: number): CondNode {
    if (depth > MAX_DEPTH) throw new Fail(this.i, 'conditional expression nested too deeply');
    this.skip();
    if (this.i >= this.text.length) throw new Fail(this.i, 'missing term in conditional expression');
    const left = this.parseTerm(depth + 1);
    this.skip();
    if (this.text.startsWith('&&', this.i)) {
      this.i += 2;
      this.skip();
      return { kind: 'and', left, right: this.parseAnd(depth + 1) };
    }
    return left;
  }

  parseTerm(depth: number): CondNode {
    const text = this.text;
    const start = this.i;
    let neg = false;
    while (text[this.i] === '!') {
      neg = !neg;
      do this.i++;
      while (text[this.i] === ' ' || text[this.i] === '\t');
    }
    const num = /^[ \t\n\v\f\r]*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text.slice(this.i, this.i + 64));
    if (num) {
      this.i += num[0].length;
      return { kind: 'const', value: numberValue(num[0]) !== 0, neg };
    }
    if (text[this.i] === '(') {
      do this.i++;
      while (text[this.i] === ' ' || text[this.i] === '\t');
      if (this.i >= text.length)
        throw new Fail(start, `unparsable conditional expression '${clipWord(text.slice(start))}'`);
      const expr = this.parseExpr(depth + 1);
      this.skip();
      if (text[this.i] !== ')')
        throw new Fail(this.i, `expected ')' after conditional expression '${clipWord(text.slice(start))}'`);
      do this.i++;
      while (text[this.i] === ' ' || text[this.i] === '\t');
      return { kind: 'paren', expr, neg };
    }
    let j = this.i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '(') j++;
    const name = text.slice(this.i, j);
    const nargs = PREDICATES.get(name);
    if (nargs === undefined)
      throw new Fail(this.i, `unparsable conditional expression '${clipWord(text.slice(this.i))}'`);
    this.i = j;
    return { kind: 'pred', name, args: this.readArgs(name, nargs), neg };
  }

  /**
   * make_arg_list() (src/arg.c): without a '(' right after the name the predicate gets one empty
   * argument; otherwise arguments are read up to ',' or ')' outside quotes, with backslash
   * escapes; all arguments are mandatory and a ')' must close the list.
   */
  readArgs(name: string, nargs: number): string[] {
    const text = this.text;
    const args: string[] = [];
    if (text[this.i] !== '(') {
      args.push('');
      if (nargs > 1) throw new Fail(this.i, `missing arguments (got 1/${nargs}) of predicate '${clipWord(name)}'`);
      return args;
    }
    this.i++;
    for (;;) {
      args.push(this.readArg(name, args.length + 1));
      if (this.i >= text.length || text[this.i] === ')' || args.length >= nargs) break;
      this.i++; // ','
    }
    if (args.length < nargs)
      throw new Fail(this.i, `missing arguments (got ${args.length}/${nargs}) of predicate '${clipWord(name)}'`);
    if (text[this.i] !== ')')
      throw new Fail(this.i, `expected ')' after the arguments of predicate '${clipWord(name)}'`);
    this.i++;
    return args;
  }

  /** Argument number `n` of predicate `name`: up to ',' or ')' outside quotes, escapes applied. */
  readArg(name: string, n: number): string {
    const text = this.text;
    let out = '';
    let sq = false;
    let dq = false;
    while (this.i < text.length) {
      const c = text[this.i];
      if (c === '"' && !sq) {
        dq = !dq;
        this.i++;
        continue;
      }
      if (c === "'" && !dq) {
        sq = !sq;
        this.i++;
        continue;
      }
      if (c === '\\' && !sq) {
        const next = text[this.i + 1];
        if (next === undefined)
          throw new Fail(this.i, `unfinished escape in argument ${n} of predicate '${clipWord(name)}'`);
        const escaped = ESCAPES.get(next);
        if (escaped !== undefined) {
          out += escaped;
          this.i += 2;
        } else {
          out += c;
          this.i++;
        }
        continue;
      }
      if (!sq && !dq && (c === ',' || c === ')')) break;
      out += c;
      this.i++;
    }
    return out;
  }
}

/** What a backslash followed by each character stands for in a predicate argument (else itself). */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  [' ', ' '],
  ['"', '"'],
  ["'", "'"],
  ['r', '\r'],
  ['n', '\n'],
  ['t', '\t'],
]);

/** The value of a number as C's strtol(.., 0) reads it (leading blanks and sign included). */
function numberValue(literal: string): number {
  const digits = literal.replace(/^[\s+-]+/, '');
  return digits.startsWith('0x') || digits.startsWith('0X')
    ? parseInt(digits, 16)
    : digits.startsWith('0') && digits.length > 1
      ? parseInt(digits, 8)
      : parseInt(digits, 10);
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
