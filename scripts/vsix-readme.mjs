#!/usr/bin/env node
// Writes dist/README.md, the README that `npm run package` ships in the .vsix (vsce --readme-path).
//
// The extension page renders that README without the repository around it. VS Code's extension
// editor shows only https: images (it strips data: and relative sources; checked in code-server
// 4.139 / VS Code 1.139 by scripts/screenshots.ts), and the Marketplace and Open VSX need absolute
// URLs too. wslb has no public https home yet (package.json's repository is a placeholder), so:
//   - with WSLB_README_IMAGES_URL=https://… (where images/ is served), each `![alt](images/x.png)`
//     points there;
//   - without it, the images are left out of the shipped README (the text around them describes
//     the same features) rather than pointing at an address that serves nothing;
//   - a link to a file of the repository (`[text](docs/rules.md)`) keeps its text and loses the
//     link, since that file is not in the package; https links and #anchors stay.
// vsce's own checks stay on (https images only, no relative link left).
// test/client/package.test.ts checks what this script guarantees.
//
// Usage: node scripts/vsix-readme.mjs [--out <file>]   (default dist/README.md)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outIdx = process.argv.indexOf('--out');
const out = path.resolve(ROOT, outIdx > 0 ? process.argv[outIdx + 1] : 'dist/README.md');

const isExternal = (link) => /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#');

export function vsixReadme(markdown, imagesUrl = process.env.WSLB_README_IMAGES_URL) {
  const problems = [];
  if (imagesUrl && !/^https:\/\/[^/]+/.test(imagesUrl)) problems.push(`${imagesUrl}: images need an https:// base URL`);
  const image = (all, target) => {
    if (isExternal(target)) return all;
    if (!/\.png$/i.test(target)) problems.push(`${target}: use PNG images (the extension page refuses SVG)`);
    if (!existsSync(path.join(ROOT, target))) problems.push(`${target}: image not found`);
    if (!imagesUrl) return '';
    return all.replace(`](${target}`, `](${imagesUrl.replace(/\/+$/, '')}/${target.replace(/^\.?\//, '')}`);
  };
  // Images first: a paragraph of its own goes with its blank line, then images inside text.
  let text = markdown
    .replace(/^!\[[^\]]*\]\(([^)\s]+)\)[ \t]*(?:\n[ \t]*\n|\n?$)/gm, image)
    .replace(/!\[[^\]]*\]\(([^)\s]+)\)/g, image);
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
