/** Finding a config's proxies by name. */
import { fact, updateAcross } from '../../host/memo';
import { proxyReplaced, type HaproxyConfig, type HaproxyProxy, type ProxyKind, type ProxyReplacement } from './node';

/**
 * A name index of a config's proxies: a name held by one proxy maps to it (an array only for the
 * few shared names). An open-addressing table of the names' own hash (FNV-1a over the UTF-16 code
 * units) in a typed array: a Map of thousands of fresh strings costs several times more to fill,
 * and its tables are heap objects the young-generation collector copies. Its size is fixed when
 * made (the names to hold are known); `set()` only replaces what a name maps to.
 * test/model/haproxy-facts.test.ts compares findProxy() with a plain search.
 */
export class NameIndex {
  /** 1 + the entry's index, by hash slot (0: empty). */
  private readonly slots: Int32Array;
  /** The names and what they map to, by entry (made at their full size: no growth). */
  private readonly keys: string[];
  private readonly values: (HaproxyProxy | HaproxyProxy[])[];
  private count = 0;
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.keys = new Array<string>(size >> 1);
    this.values = new Array<HaproxyProxy | HaproxyProxy[]>(size >> 1);
  }
  get size(): number {
    return this.count;
  }
  get(name: string): HaproxyProxy | HaproxyProxy[] | undefined {
    const k = this.slots[this.slotOf(name)];
    return k === 0 ? undefined : this.values[k - 1];
  }
  /** Adds `p` under its name (after the proxies already there, as an array once there are two). */
  add(name: string, p: HaproxyProxy): void {
    const i = this.slotOf(name);
    const k = this.slots[i];
    if (k === 0) {
      if (this.count >= this.keys.length) throw new Error('NameIndex: more names than its capacity');
      this.keys[this.count] = name;
      this.values[this.count] = p;
      this.slots[i] = ++this.count;
      return;
    }
    const had = this.values[k - 1];
    if (Array.isArray(had)) had.push(p);
    else this.values[k - 1] = [had, p];
  }
  /** Replaces what `name` maps to (a name already held). */
  set(name: string, v: HaproxyProxy | HaproxyProxy[]): void {
    const k = this.slots[this.slotOf(name)];
    if (k === 0) throw new Error(`NameIndex: '${name}' is not held`);
    this.values[k - 1] = v;
  }
  /** The slot holding `name`, or the empty one where it would go. */
  private slotOf(name: string): number {
    let h = 0x811c9dc5 ^ name.length;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    // (the low bits of an FNV hash mix poorly: fold the high ones in)
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      const k = slots[i];
      if (k === 0 || this.keys[k - 1] === name) return i;
    }
  }
}
/** A name index follows a replaced proxy (a proxy keeps its name: a header edit builds the config again). */
function replaceIn(index: NameIndex, { old, proxy }: ProxyReplacement): NameIndex {
  const named = old.name !== null ? index.get(old.name) : undefined;
  if (named === old) index.set(old.name!, proxy);
  else if (Array.isArray(named)) {
    const k = named.indexOf(old);
    if (k >= 0) named[k] = proxy;
  }
  return index;
}

/** The index of a config's backends and listens (what findProxy() looks for by default). */
const backendIndex = fact(
  'haproxy.backendIndex',
  (config: HaproxyConfig) => nameIndex(config, true),
  updateAcross(proxyReplaced, replaceIn),
);
/** The index of all of a config's proxies. */
const proxyIndex = fact(
  'haproxy.proxyIndex',
  (config: HaproxyConfig) => nameIndex(config, false),
  updateAcross(proxyReplaced, replaceIn),
);

export function findProxy(config: HaproxyConfig, name: string, kinds?: ProxyKind[]): HaproxyProxy | undefined {
  // the default look-up indexes only backends and listens (the names of the others are not read)
  const index = kinds === undefined ? backendIndex(config) : proxyIndex(config);
  const hit = index.get(name);
  if (hit === undefined) return undefined;
  if (!Array.isArray(hit)) return isOfKind(hit, kinds) ? hit : undefined;
  for (const p of hit) if (isOfKind(p, kinds)) return p;
  return undefined;
}

function nameIndex(config: HaproxyConfig, backendsOnly: boolean): NameIndex {
  const index = new NameIndex(config.proxies.length);
  for (const p of config.proxies) {
    if (p.name === null || (backendsOnly && p.kind !== 'backend' && p.kind !== 'listen')) continue;
    index.add(p.name, p);
  }
  return index;
}

/** `p.kind` is one of `kinds` (by default backend and listen). */
function isOfKind(p: HaproxyProxy, kinds: ProxyKind[] | undefined): boolean {
  return kinds === undefined ? p.kind === 'backend' || p.kind === 'listen' : kinds.includes(p.kind);
}
