// The CLI's form of knowledge tables it reads on every check (scripts/build.mjs writes them beside
// dist/cli/wslb-main.js). CommonJS so that both build.mjs (`import`) and the tests (run by tsx as
// CommonJS) load it without a build step; scripts/cli-tables.d.cts gives its types.
'use strict';

// nginx's command table (every directive of every release) for the CLI, which parses it in every
// check of an nginx file: each string that repeats (module, version, family) and each distinct
// list of contexts or argument kinds, and each distinct variant, written once and named by its
// index. Under a quarter of the text (171 -> 40 KB), and a fraction of the objects to allocate: the variants and their
// lists are shared between the directives that have the same (the table is never changed).
function compactCommands(table) {
  const index = (list, keyOf = (x) => x) => {
    const at = new Map();
    return [
      list,
      (x) => {
        const k = keyOf(x);
        if (!at.has(k)) at.set(k, list.push(x) - 1);
        return at.get(k);
      },
    ];
  };
  const [strings, str] = index([]);
  const [lists, list] = index([], (x) => JSON.stringify(x));
  const [variants, variant] = index([], (x) => JSON.stringify(x));
  const directives = table.directives.map((d) => {
    const keys = Object.keys(d).join();
    if (keys !== 'family,name,module,since,variants' && keys !== 'family,name,module,since,variants,removed')
      throw new Error(`nginx-commands.json: a directive with the keys ${keys}`);
    const vs = d.variants.map((v) => {
      if (Object.keys(v).join() !== 'since,contexts,args,block')
        throw new Error('nginx-commands.json: a variant of other keys');
      return variant([str(v.since), list(v.contexts), list(v.args), v.block ? 1 : 0]);
    });
    return [str(d.family), d.name, str(d.module), str(d.since), d.removed === undefined ? -1 : str(d.removed), ...vs];
  });
  return { $comment: table.$comment, releases: table.releases, strings, lists, variants, directives };
}
/** compactCommands undone, at run time (scripts/build.mjs writes its source into the bundle). */
function expandCommands(t) {
  const s = t.strings;
  const l = t.lists;
  const vs = t.variants.map((v) => ({ since: s[v[0]], contexts: l[v[1]], args: l[v[2]], block: v[3] === 1 }));
  const directives = t.directives.map((d) => {
    const c = { family: s[d[0]], name: d[1], module: s[d[2]], since: s[d[3]], variants: [] };
    for (let i = 5; i < d.length; i++) c.variants.push(vs[d[i]]);
    if (d[4] >= 0) c.removed = s[d[4]];
    return c;
  });
  return { $comment: t.$comment, releases: t.releases, directives };
}
module.exports = { compactCommands, expandCommands };
