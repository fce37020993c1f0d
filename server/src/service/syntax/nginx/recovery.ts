/**
 * The end of an nginx file: the directive left without ";" and the blocks left open, with the
 * guess of where a missing "}" belongs when the closing braces below it are misaligned.
 */
import { clipWord } from '../../words';
import type { Directive } from './nodes';
import type { Reader } from './parser';
import type { NginxBlock, NginxFile } from './types';

// Character codes. Each module that scans text declares the ones it reads: loaded through tsx
// (the tests, the benchmarks) an imported constant is a getter call on every read, which made the
// scan several times slower.
const CR = 13;

/** The end of the file: the directive left without ";", the blocks left open. */
export function finishFile(r: Reader): void {
  const n = r.n;
  if (r.dir) {
    const d: Directive = r.dir;
    if (!r.dirRecovered)
      r.report(
        'unexpected-end',
        r.lastStart,
        n,
        `unexpected end of file: directive "${clipWord(d.name)}" needs ";" or "{"`,
        {
          start: r.lastEnd,
          end: r.lastEnd,
          newText: ';',
        },
      );
    r.abandonDirective();
  }
  if (r.stack.length === 1 && r.misaligned.length > 0) guessMissingClose(r);

  // Blocks left open: each ends at the end of the file.
  const stack = r.stack;
  for (let k = stack.length - 1; k >= 0; k--) {
    const block = stack[k];
    const owner = block.owner;
    block.end = n;
    if (owner) owner.end = n;
    const what = owner ? `the block of "${clipWord(owner.name)}"` : 'this block';
    r.report('unclosed-block', block.open, block.open + 1, `unexpected end of file: ${what} has no closing "}"`, {
      start: n,
      end: n,
      newText: '}',
    });
  }
}

/**
 * One block left open: if "}"s were shifted (a block closed by a "}" indented like an
 * enclosing block, and so on up to the open one), the missing "}" most likely belongs to
 * the innermost shifted block. Report it there, with a fix that inserts its "}".
 */
function guessMissingClose(r: Reader): void {
  const text = r.text;
  const n = r.n;
  const open = r.stack[0];
  const culprit = r.misaligned.find((m) => {
    let p: NginxBlock | NginxFile = m.block.parent;
    while (p !== open) {
      if (p.type !== 'block' || !r.misalignedSet.has(p)) return false;
      p = p.parent;
    }
    return true;
  });
  if (!culprit) return;
  open.end = n;
  if (open.owner) open.owner.end = n;
  const owner = culprit.block.owner;
  const what = owner ? `the block of "${clipWord(owner.name)}"` : 'this block';
  const closeLine = r.file.lineIndex.positionAt(culprit.block.close).line + 1;
  const nl = text.indexOf('\n');
  const eol = nl > 0 && text.charCodeAt(nl - 1) === CR ? '\r\n' : '\n';
  const indent = text.slice(culprit.openIndentStart, culprit.openIndentStart + culprit.openIndent);
  r.report(
    'unclosed-block',
    culprit.block.open,
    culprit.block.open + 1,
    `${what} has no closing "}": the "}" on line ${closeLine}, indented like an enclosing block, closes it instead, and the file ends with a block still open`,
    { start: culprit.closeLineStart, end: culprit.closeLineStart, newText: indent + '}' + eol },
  );
  r.stack.length = 0;
}
