/**
 * The one home of derived facts: everything the service computes from a value and keeps for as
 * long as that value lives (a config revision, a context, a proxy, a parse) is declared here as a
 * `fact` and stored by this module, nowhere else (test/architecture/state.test.ts).
 *
 * Architecture Invariant: a fact is a pure function of its key. Keys are values the service treats
 * as immutable once built, so a fact is computed at most once per key and forgotten with it.
 *
 * An incremental update makes a new revision out of an old one. It names what changed with a
 * `Change` and calls `carry(change, from, to, detail)` once; each fact that declared a policy for
 * that change either hands its value over (unchanged or updated) or drops it and is computed again
 * on its next read. Facts without a policy for a change are simply recomputed. No module registers
 * a callback into another: the policies are data on the fact that owns the value.
 */

/** A kind of incremental change, with the detail an update receives. */
export interface Change<D> {
  readonly name: string;
  /** Type marker only. */
  readonly detail?: D;
}

export function change<D = void>(name: string): Change<D> {
  return { name };
}

/** How a fact's value survives a change: a new value to keep, or undefined to recompute later. */
export interface CarryPolicy<K, V> {
  readonly on: Change<unknown>;
  readonly update: (value: V, detail: unknown, from: K, to: K) => V | undefined;
}

/** Keep the value as it is across `on`. */
export function keepAcross<K, V>(on: Change<unknown>): CarryPolicy<K, V> {
  return { on, update: (value) => value };
}

/** Update the value across `on` (return undefined to have it computed again). */
export function updateAcross<K, V, D>(
  on: Change<D>,
  update: (value: V, detail: D, from: K, to: K) => V | undefined,
): CarryPolicy<K, V> {
  return { on, update: update as (value: V, detail: unknown, from: K, to: K) => V | undefined };
}

export interface Fact<K extends object, V> {
  (key: K): V;
  readonly factName: string;
  /** The value if it was computed already. */
  peek(key: K): V | undefined;
  /** Forget the value of `key` (the key was changed in place by its owner). */
  forget(key: K): void;
}

type Carrier = (from: object, to: object, detail: unknown) => void;
const carriers = new Map<Change<unknown>, Carrier[]>();
const names = new Set<string>();

function register(name: string): void {
  if (names.has(name)) throw new Error(`memo: fact "${name}" is declared twice`);
  names.add(name);
}

/** Declare a fact of `K`: `compute(key)` once per key, carried across changes by `policies`. */
export function fact<K extends object, V>(
  name: string,
  compute: (key: K) => V,
  ...policies: CarryPolicy<K, V>[]
): Fact<K, V> {
  register(name);
  const values = new WeakMap<K, { v: V }>();
  const read = ((key: K): V => {
    const hit = values.get(key);
    if (hit) return hit.v;
    const v = compute(key);
    values.set(key, { v });
    return v;
  }) as Fact<K, V>;
  Object.defineProperty(read, 'factName', { value: name });
  read.peek = (key) => values.get(key)?.v;
  read.forget = (key) => void values.delete(key);
  for (const p of policies) {
    const list = carriers.get(p.on) ?? [];
    list.push((from, to, detail) => {
      const hit = values.get(from as K);
      if (!hit) return;
      const next = p.update(hit.v, detail, from as K, to as K);
      if (from !== to) values.delete(from as K);
      if (next === undefined) values.delete(to as K);
      else values.set(to as K, { v: next });
    });
    carriers.set(p.on, list);
  }
  return read;
}

/** A fact of a key and one more argument (a name, a predicate): one value per pair. */
export function factBy<K extends object, A, V>(name: string, compute: (key: K, arg: A) => V): (key: K, arg: A) => V {
  const table = fact<K, Map<A, V>>(name, () => new Map());
  return (key, arg) => {
    const m = table(key);
    if (m.has(arg)) return m.get(arg) as V;
    const v = compute(key, arg);
    m.set(arg, v);
    return v;
  };
}

/** Hand every fact of `from` that has a policy for `change` over to `to`. */
export function carry<D>(on: Change<D>, from: object, to: object, detail: D): void {
  for (const c of carriers.get(on) ?? []) c(from, to, detail);
}

/**
 * A fact of two objects (a syntax node in a check environment): one value per pair, forgotten
 * with either (factBy would keep every `arg` alive as long as `key`).
 */
export function factByObject<K extends object, A extends object, V>(
  name: string,
  compute: (key: K, arg: A) => V,
): (key: K, arg: A) => V {
  // (the value itself is stored, no box per pair: there can be one per syntax node of a config)
  const table = fact<K, WeakMap<A, V | typeof UNDEFINED>>(name, () => new WeakMap());
  return (key, arg) => {
    const m = table(key);
    const hit = m.get(arg);
    if (hit !== undefined) return (hit === UNDEFINED ? undefined : hit) as V;
    const v = compute(key, arg);
    m.set(arg, v === undefined ? UNDEFINED : v);
    return v;
  };
}

/** Stands for a computed value of undefined in a table (where a missing entry reads as undefined too). */
const UNDEFINED: unique symbol = Symbol('undefined');
