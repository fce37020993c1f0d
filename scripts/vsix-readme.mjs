#!/usr/bin/env node
// Writes dist/README.md, the README that `npm run package` ships in the .vsix (vsce --readme-path).
//
// The extension page renders the README without the repository around it: VS Code's extension
// editor allows only https: and data: images (its Content-Security-Policy), and the Marketplace
// needs absolute URLs. wslb has no public https home yet (package.json's repository is a
// placeholder), so rather than pointing at an address that serves nothing:
//   - each image `![alt](images/x.png)` is embedded as a data: URI (PNG only);
//   - each link to a file of the repository (`[text](docs/rules.md)`) keeps its text and loses
//     the link, since that file is not in the package; https links and #anchors stay.
// vsce's own rewriting of relative links is turned off (--no-rewrite-relative-links) because it
// would refuse data: images; test/client/package.test.ts checks what this script guarantees.
//
// Usage: node scripts/vsix-readme.mjs [--out <file>]   (default dist/README.md)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outIdx = process.argv.indexOf('--out');
const out = path.resolve(ROOT, outIdx > 0 ? process.argv[outIdx + 1] : 'dist/README.md');

const isExternal = (link) => /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#');

export function vsixReadme(markdown, readFile = (rel) => readFileSync(path.join(ROOT, rel))) {
  const problems = [];
  // Images first: ![alt](target "optional title")
  let text = markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)(\s+"[^"]*")?\)/g, (all, alt, target, title = '') => {
    if (isExternal(target)) return all;
    if (!/\.png$/i.test(target)) {
      problems.push(`${target}: only PNG images can be embedded (the extension page refuses SVG)`);
      return all;
    }
    let bytes;
    try {
      bytes = readFile(target);
    } catch {
      problems.push(`${target}: image not found`);
      return all;
    }
    return `![${alt}](data:image/png;base64,${bytes.toString('base64')}${title})`;
  });
  // Then links to repository files: [text](path) -> text
  text = text.replace(/(?<!!)\[([^\]]+)\]\(([^)\s]+)\)/g, (all, label, target) => (isExternal(target) ? all : label));
  return { text, problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { text, problems } = vsixReadme(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  if (problems.length) {
    console.error(`vsix-readme: README.md cannot be packaged as is:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`vsix-readme: ${path.relative(ROOT, out)} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB)`);
}
