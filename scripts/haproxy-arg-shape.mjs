// How many arguments a keyword takes, read from the syntax lines of HAProxy's manual; shared by
// scripts/gen-haproxy-kb.mjs (2.6, from Debian's HTML manual) and scripts/gen-haproxy-versions.mjs
// (2.8-3.4, from configuration.txt in the release archives).

// Argument shape from a syntax line: <x> required, [ ... ] optional, { a | b } one of, "..." / "*" repeat.

export function argShape(syntax) {
  const toks = [];
  const s = syntax.replace(/\(\.\.\.\)|\.\.\./g, ' … ');
  const re = /\s*(\[|\]|\{|\}|\||…|<[^>]*>\*?|[^\s[\]{}|<…]+)/gy;
  let m;
  while ((m = re.exec(s))) toks.push(m[1]);
  let p = 0;
  const seq = (end) => {
    let min = 0;
    let max = 0;
    while (p < toks.length && toks[p] !== end && toks[p] !== '|' && toks[p] !== ']' && toks[p] !== '}') {
      const t = toks[p++];
      let item;
      if (t === '[') {
        const inner = alt(']');
        if (toks[p] === ']') p++;
        item = { min: 0, max: inner.max };
      } else if (t === '{') {
        const inner = alt('}');
        if (toks[p] === '}') p++;
        item = inner;
      } else if (t === '…') {
        item = { min: 0, max: null };
      } else if (t.endsWith('*')) {
        item = { min: 0, max: null };
      } else {
        item = { min: 1, max: 1 };
      }
      min += item.min;
      max = max === null || item.max === null ? null : max + item.max;
    }
    return { min, max };
  };
  const alt = (end) => {
    let acc = seq(end);
    while (toks[p] === '|') {
      p++;
      const n = seq(end);
      acc = {
        min: Math.min(acc.min, n.min),
        max: acc.max === null || n.max === null ? null : Math.max(acc.max, n.max),
      };
    }
    return acc;
  };
  return alt(undefined);
}

export function withShape(e) {
  const shapes = e.syntax.map(argShape);
  const out = { ...e };
  if (shapes.length) {
    out.args = {
      min: Math.min(...shapes.map((x) => x.min)),
      max: shapes.some((x) => x.max === null) ? null : Math.max(...shapes.map((x) => x.max)),
    };
  }
  return out;
}
