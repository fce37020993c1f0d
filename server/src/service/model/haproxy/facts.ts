/** What one reading of a proxy's own section finds (ProxyFacts), and the lines it points at. */
import type { HaproxySection, HaproxySectionBody, HaproxyStatement } from '../../syntax/haproxy';
import { fact } from '../../host/memo';
import { valueTable } from '../../host/tables';
import { memoOf, ProxyFacts, ProxyNode, type FactLists, type HaproxyProxy } from './node';

/** The timeouts ProxyFacts keeps by name. */
export type FactTimeout = 'connect' | 'client' | 'server' | 'tunnel';

/** proxyFacts() of proxies that are not ProxyNodes (built by hand). */
const looseFacts = fact('haproxy.looseProxyFacts', (proxy: HaproxyProxy) =>
  readSectionFacts(proxy.section, new ProxyFacts()),
);

/** What the proxy's own section says (see ProxyFacts); read once per proxy object. */
export function proxyFacts(proxy: HaproxyProxy): ProxyFacts {
  if (proxy instanceof ProxyNode) return (proxy.facts ??= shared(readSectionFacts(proxy.section, clear(scratch))));
  return looseFacts(proxy);
}

/** Where a ProxyNode's facts are read, before shared() keeps them (no object made for facts already held). */
const scratch = new ProxyFacts();

function clear(f: ProxyFacts): ProxyFacts {
  f.mode = f.onOff = f.connect = f.client = f.server = f.tunnel = f.defaultBackend = null;
  f.hasServers = false;
  f.acl0 = f.route0 = f.timeout0 = -1;
  f.aclCount = f.routeCount = f.timeoutCount = 0;
  return f;
}

/** A new object with the facts of `f` (its FactLists left out). */
function copyOf(f: ProxyFacts): ProxyFacts {
  const c = new ProxyFacts();
  c.mode = f.mode;
  c.onOff = f.onOff;
  c.connect = f.connect;
  c.client = f.client;
  c.server = f.server;
  c.tunnel = f.tunnel;
  c.defaultBackend = f.defaultBackend;
  c.hasServers = f.hasServers;
  c.acl0 = f.acl0;
  c.route0 = f.route0;
  c.timeout0 = f.timeout0;
  c.aclCount = f.aclCount;
  c.routeCount = f.routeCount;
  c.timeoutCount = f.timeoutCount;
  return c;
}

/** What one facts object of each shape that names no statement stands for (see shared()). */
const sharedFacts = valueTable<number, ProxyFacts>(4096, 'keep');

/**
 * A copy of `f` (read into the scratch object), or an equal one already made when `f` names no
 * statement and its numbers are small (most
 * backends of a large config have the same: servers, an ACL or two at the same place): one object
 * for all of them instead of one each. Only ProxyNodes' facts are shared (they keep their
 * FactLists in their memo); a shared object is never changed. Process-wide and bounded: it maps
 * a shape to equal facts, so whatever it holds, every proxy reads the same answers.
 */
function shared(f: ProxyFacts): ProxyFacts {
  if (
    f.mode !== null ||
    f.onOff !== null ||
    f.connect !== null ||
    f.client !== null ||
    f.server !== null ||
    f.tunnel !== null ||
    f.defaultBackend !== null
  )
    return copyOf(f);
  // (firsts up to 61 and counts up to 7: 1 + 3 * (6 + 3) = 28 bits, a small integer key)
  if (f.acl0 >= 62 || f.route0 >= 62 || f.timeout0 >= 62 || f.aclCount > 7 || f.routeCount > 7 || f.timeoutCount > 7)
    return copyOf(f);
  const key =
    (f.hasServers ? 1 : 0) |
    ((f.acl0 + 1) << 1) |
    (f.aclCount << 7) |
    ((f.route0 + 1) << 10) |
    (f.routeCount << 16) |
    ((f.timeout0 + 1) << 19) |
    (f.timeoutCount << 25);
  const had = sharedFacts.get(key);
  if (had !== undefined) return had;
  const c = copyOf(f);
  sharedFacts.set(key, c);
  return c;
}

/** Fills `f` (cleared) with the facts of the section's statements: through its body when it has one (no statement object per line). */
function readSectionFacts(section: HaproxySection, f: ProxyFacts): ProxyFacts {
  return readFacts(sectionLines(section), f);
}

/** A section's statements read by index (the part of HaproxySectionBody a list can answer too). */
export type SectionLines = Pick<
  HaproxySectionBody,
  'size' | 'keywordAt' | 'wordCountAt' | 'wordValueAt' | 'wordIsAt' | 'statement'
>;

/**
 * The section's statements by index: its body while it has one (a line's statement is only made
 * when asked for), else its list.
 */
export function sectionLines(section: HaproxySection): SectionLines {
  return section.body ?? statementsAsBody(section.statements);
}

/** A section without a body (its list made, or built by hand) read through the same interface. */
function statementsAsBody(stmts: readonly HaproxyStatement[]): SectionLines {
  return new StatementList(stmts);
}

/** (a class, not an object of closures: one small object per call) */
class StatementList implements SectionLines {
  constructor(private readonly stmts: readonly HaproxyStatement[]) {}
  get size(): number {
    return this.stmts.length;
  }
  keywordAt(i: number): string {
    return this.stmts[i].keyword;
  }
  wordCountAt(i: number): number {
    return this.stmts[i].wordCount;
  }
  wordValueAt(i: number, k: number): string {
    return this.stmts[i].wordValue(k);
  }
  wordIsAt(i: number, k: number, s: string): boolean {
    return this.stmts[i].wordValue(k) === s;
  }
  statement(i: number): HaproxyStatement {
    return this.stmts[i];
  }
}

/**
 * Fills `f` (cleared) with the facts of a section's statements, walked by index: only the
 * statements the facts name are made (the last of each kind, once the walk is over).
 */
function readFacts(body: SectionLines, f: ProxyFacts): ProxyFacts {
  let mode = -1;
  let onOff = -1;
  let connect = -1;
  let client = -1;
  let server = -1;
  let tunnel = -1;
  let defaultBackend = -1;
  const n = body.size;
  for (let i = 0; i < n; i++) {
    const kw = body.keywordAt(i);
    switch (kw.charCodeAt(0)) {
      case 97 /* a */:
        if (kw === 'acl') {
          if (f.acl0 < 0) f.acl0 = i;
          f.aclCount++;
        }
        break;
      case 100 /* d */:
        if (kw === 'default_backend') {
          defaultBackend = i;
          if (f.route0 < 0) f.route0 = i;
          f.routeCount++;
        } else if (kw === 'disabled') onOff = i;
        break;
      case 101 /* e */:
        if (kw === 'enabled') onOff = i;
        break;
      case 109 /* m */:
        if (kw === 'mode') mode = i;
        break;
      case 115 /* s */:
        if (kw === 'server' || kw === 'server-template') f.hasServers = true;
        break;
      case 116 /* t */:
        if (kw === 'timeout') {
          if (f.timeout0 < 0) f.timeout0 = i;
          f.timeoutCount++;
          const which = body.wordCountAt(i) > 1 ? body.wordValueAt(i, 1) : undefined;
          if (which === 'connect') connect = i;
          else if (which === 'client') client = i;
          else if (which === 'server') server = i;
          else if (which === 'tunnel') tunnel = i;
        }
        break;
      case 117 /* u */:
        if (kw === 'use_backend') {
          if (f.route0 < 0) f.route0 = i;
          f.routeCount++;
        }
        break;
    }
  }
  if (mode >= 0) f.mode = body.statement(mode);
  if (onOff >= 0) f.onOff = body.statement(onOff);
  if (connect >= 0) f.connect = body.statement(connect);
  if (client >= 0) f.client = body.statement(client);
  if (server >= 0) f.server = body.statement(server);
  if (tunnel >= 0) f.tunnel = body.statement(tunnel);
  if (defaultBackend >= 0) f.defaultBackend = body.statement(defaultBackend);
  return f;
}

/** Which lines factLines() lists. */
export type FactLines = 'acl' | 'route' | 'timeout';

/**
 * The section's own `acl` lines, route lines (`use_backend` and `default_backend`) or `timeout`
 * lines, in order; kept with its facts. Not to be changed. (factFirst() and factLineCount() walk
 * them without a list.)
 */
export function factLines(proxy: HaproxyProxy, which: FactLines): readonly HaproxyStatement[] {
  const f = proxyFacts(proxy);
  const from = which === 'acl' ? f.acl0 : which === 'route' ? f.route0 : f.timeout0;
  if (from < 0) return NO_STATEMENTS;
  const lists = listsOf(proxy, f);
  let list = lists[which];
  if (list) return list;
  const count = which === 'acl' ? f.aclCount : which === 'route' ? f.routeCount : f.timeoutCount;
  // (read by index: only these lines' statements are made)
  const lines = sectionLines(proxy.section);
  if (count === 1) return (lists[which] = [lines.statement(from)]);
  list = [];
  // (the last one found ends the walk: the lines after it are not looked at)
  for (let i = from; list.length < count; i++) if (isFactLine(lines.keywordAt(i), which)) list.push(lines.statement(i));
  return (lists[which] = list);
}

/** Where a proxy keeps its FactLists: in its memo for a ProxyNode (its facts may be shared), else with its facts. */
export function listsOf(proxy: HaproxyProxy, f: ProxyFacts): FactLists {
  if (proxy instanceof ProxyNode) return (memoOf(proxy).lists ??= {});
  return (f.lists ??= {});
}

/** How many `which` lines the section itself has (factLines(proxy, which).length, without a list). */
export function factLineCount(proxy: HaproxyProxy, which: FactLines): number {
  const f = proxyFacts(proxy);
  return which === 'acl' ? f.aclCount : which === 'route' ? f.routeCount : f.timeoutCount;
}

/**
 * The index in the section's statements of its first `which` line (-1 when none). With
 * factLineCount(), walks factLines() without making the list:
 * `for (let i = factFirst(p, 'acl'), left = factLineCount(p, 'acl'); left > 0; i++) if (stmts[i].keyword === 'acl') { left--; ... }`.
 */
export function factFirst(proxy: HaproxyProxy, which: FactLines): number {
  const f = proxyFacts(proxy);
  return which === 'acl' ? f.acl0 : which === 'route' ? f.route0 : f.timeout0;
}

function isFactLine(kw: string, which: FactLines): boolean {
  return which === 'acl'
    ? kw === 'acl'
    : which === 'route'
      ? kw === 'use_backend' || kw === 'default_backend'
      : kw === 'timeout';
}

const NO_STATEMENTS: readonly HaproxyStatement[] = [];

/** Whether the proxy's own section has a `server` or `server-template` line. */
export function proxyHasServers(proxy: HaproxyProxy): boolean {
  return proxyFacts(proxy).hasServers;
}

/**
 * The last statement of the section itself for a keyword path that ProxyFacts keeps (`mode`,
 * `default_backend`, `timeout connect|client|server|tunnel`): null when the section has none,
 * undefined when the facts do not cover the path.
 */
export function ownFromFacts(p: HaproxyProxy, path: readonly string[]): HaproxyStatement | null | undefined {
  if (path.length === 1) {
    if (path[0] === 'mode') return proxyFacts(p).mode;
    if (path[0] === 'default_backend') return proxyFacts(p).defaultBackend;
    return undefined;
  }
  if (path.length === 2 && path[0] === 'timeout') {
    const w = path[1];
    if (w === 'connect' || w === 'client' || w === 'server' || w === 'tunnel') return proxyFacts(p)[w];
  }
  return undefined;
}
