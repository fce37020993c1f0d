/**
 * How the nodes of an nginx tree follow the edits of their text (parseNginxIncremental) without
 * being walked: the shared TreeText records each edit's offset shift, and a Moving node applies
 * the shifts recorded since it last looked when one of its offsets is next read.
 */
import type { File } from './nodes';

/**
 * Memory layout (a 50k-line config has about half a million leaves, and allocation is what a
 * parse costs): whitespace and the ";" of a directive are not stored. Blocks and the file keep
 * `items` (every child but whitespace); `children` and a directive's `parts` are built from
 * them on first read, filling the gaps with trivia (and, inside a directive, comments) read
 * again from the text, and are then cached. The gaps hold nothing else, so the lazy lists are
 * exactly the ones an eager parse would build.
 *
 * Moving a tree to an edited text (parseNginxIncremental) touches no node outside the re-read
 * block: every node reads its text, its file and the offset shifts of later edits through the
 * tree's TreeText, and applies those shifts when one of its offsets is next read.
 */

/**
 * What every node of a tree reads through: the current text, the current file object, and the
 * offset shifts of the edits the tree was moved through. Edit k (version k to k + 1) re-read the
 * block whose "{" was at open_k and moved every offset >= from_k by delta_k; a kept node holds no
 * offset in (open_k, from_k) (those were inside the re-read block), so one threshold per edit is
 * exact. A node remembers the version its offsets are of (`v`) and applies the shifts since then
 * when one of them is next read (`shiftOffset`).
 *
 * Typing in one place gives edits that compose into one: edits k..j act on the offsets a node of
 * version k holds as "offsets >= from_k move by delta_k + ... + delta_j" when each next threshold
 * lies above open_k and at most at from_k + (the shifts so far) (the kept offsets below and above
 * then stay on their sides). `reach[k]` is the last edit edit k composes with and `sum[k]` their
 * total, so a node applies one step per such run, however many keystrokes it spans.
 */
export class TreeText {
  text: string;
  /** The file object of the current text (top-level nodes' parent). */
  file: File | null = null;
  /** Edits moved through so far. */
  version = 0;
  /** Index k - base of the arrays below is edit k; edits before base are applied everywhere (settleTree). */
  base = 0;
  from: number[] = [];
  open: number[] = [];
  reach: number[] = [];
  sum: number[] = [];

  constructor(text: string) {
    this.text = text;
  }

  /** Record an edit: offsets >= from move by delta (delta !== 0); the re-read block's "{" was at open. */
  moved(from: number, open: number, delta: number): void {
    const n = this.from.length;
    for (let i = 0; i < n; i++) {
      if (this.reach[i] === n - 1 && this.open[i] < from && from <= this.from[i] + this.sum[i]) {
        this.reach[i] = n;
        this.sum[i] += delta;
      }
    }
    this.from.push(from);
    this.open.push(open);
    this.reach.push(n);
    this.sum.push(delta);
    this.version++;
  }

  /** The most steps a node of any version applies now (each walk follows `reach`, see shiftOffset). */
  maxSteps(): number {
    const n = this.from.length;
    const steps = new Int32Array(n + 1);
    let most = 0;
    for (let i = n - 1; i >= 0; i--) {
      steps[i] = 1 + steps[this.reach[i] + 1];
      if (steps[i] > most) most = steps[i];
    }
    return most;
  }

  /** Every node is of the current version (settleTree): forget the edits. */
  restart(): void {
    this.base = this.version;
    this.from.length = this.open.length = this.reach.length = this.sum.length = 0;
  }
}

/**
 * Steps (runs of composed edits) a node of some version may have to apply before every node
 * of the tree is brought up to date (settleTree) and the record restarts: edits in different
 * places cost a node read later at most this many, and the walk over the whole tree (1-3 ms for
 * 10,000 lines) comes after that many of them. Typing in one place is one step however long it
 * goes on; the record then restarts after SHIFT_LOG_MAX edits.
 */
export const SHIFT_LOG_LIMIT = 32;
export const SHIFT_LOG_MAX = 1024;

/** `o`, an offset of version `v`, in the current text of `tt`. */
export function shiftOffset(o: number, tt: TreeText, v: number): number {
  if (v < tt.base) throw new Error('nginx syntax node read after its tree was replaced');
  const { from, reach, sum } = tt;
  for (let i = v - tt.base; i < from.length; i = reach[i] + 1) if (o >= from[i]) o += sum[i];
  return o;
}

/**
 * A node whose offsets follow the edits of its tree lazily: it holds them as of version `#v` of its
 * TreeText and applies the shifts recorded since then when one of them is next read or written
 * (settle()). A subclass with more offsets shifts them in shiftMore().
 */
export abstract class Moving {
  #start: number;
  #end: number;
  #tt: TreeText;
  #v: number;

  constructor(start: number, end: number, tt: TreeText) {
    this.#start = start;
    this.#end = end;
    this.#tt = tt;
    this.#v = tt.version;
  }

  /** The tree's text and edits (a getter, so that it is no own property of the node). */
  protected get tt(): TreeText {
    return this.#tt;
  }

  /** Apply the shifts of the edits since the offsets were last read or written. */
  settle(): void {
    const tt = this.#tt;
    const v = this.#v;
    if (v === tt.version) return;
    const s = shiftOffset(this.#start, tt, v);
    this.shiftMore(tt, v, s - this.#start);
    this.#start = s;
    this.#end = shiftOffset(this.#end, tt, v);
    this.#v = tt.version;
  }

  /** Shift the subclass's other offsets from version `v` (`startDelta`: how far the start moves). */
  protected shiftMore(_tt: TreeText, _v: number, _startDelta: number): void {}

  get start(): number {
    if (this.#v !== this.#tt.version) this.settle();
    return this.#start;
  }

  set start(v: number) {
    if (this.#v !== this.#tt.version) this.settle();
    this.#start = v;
  }

  get end(): number {
    if (this.#v !== this.#tt.version) this.settle();
    return this.#end;
  }

  set end(v: number) {
    if (this.#v !== this.#tt.version) this.settle();
    this.#end = v;
  }
}
