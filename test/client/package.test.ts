/**
 * What `npm run package` ships as the extension page: the README made by scripts/vsix-readme.mjs
 * (repository links reduced to their text; the screenshots left out unless WSLB_README_IMAGES_URL
 * says where they are served over https), packaged by vsce without a warning, with the changelog
 * and the licence. Runs vsce itself (a few seconds) on the current bundles.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

const REPO = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  contributes: { grammars: { path: string }[]; languages: { configuration?: string }[] };
};

type VsixReadme = (markdown: string, imagesUrl?: string) => { text: string; problems: string[] };

/** The entries of a zip file (the .vsix), by name: enough of the format for vsce's output. */
function unzip(file: string): Map<string, Buffer> {
  const zip = fs.readFileSync(file);
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, `${file} is not a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const skip = nameLen + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLen);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + skip;
  }
  return out;
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the packaged README (scripts/vsix-readme.mjs, npm run package)', function () {
  this.timeout(120_000);
  let vsixReadme: VsixReadme;

  before(async () => {
    ({ vsixReadme } = (await import(path.join(REPO, 'scripts', 'vsix-readme.mjs'))) as { vsixReadme: VsixReadme });
  });

  const sample = [
    'Intro:',
    '',
    '![The editor](images/icon.png)',
    '',
    '![Remote](https://example.org/b.png)',
    'See [`docs/rules.md`](docs/rules.md), [the site](https://nginx.org/) and [below](#settings).',
  ].join('\n');

  it('leaves local images out, keeps https images, links and anchors, reduces repository links to text', () => {
    const { text, problems } = vsixReadme(sample, '');
    assert.deepEqual(problems, []);
    assert.equal(
      text,
      [
        'Intro:',
        '',
        '![Remote](https://example.org/b.png)',
        'See `docs/rules.md`, [the site](https://nginx.org/) and [below](#settings).',
      ].join('\n'),
    );
  });

  it('points local images at WSLB_README_IMAGES_URL when given, and only at an https one', () => {
    const { text, problems } = vsixReadme(sample, 'https://static.example.org/wslb/');
    assert.deepEqual(problems, []);
    assert.match(text, /^!\[The editor\]\(https:\/\/static\.example\.org\/wslb\/images\/icon\.png\)$/m);
    assert.deepEqual(vsixReadme(sample, 'http://static.example.org').problems, [
      'http://static.example.org: images need an https:// base URL',
    ]);
  });

  it('refuses a missing image and an SVG', () => {
    assert.deepEqual(vsixReadme('![a](images/none.png)\n![b](images/icon.svg)\n', '').problems, [
      'images/none.png: image not found',
      'images/icon.svg: use PNG images (the extension page refuses SVG)',
    ]);
  });

  it("the README's screenshots exist and are small PNGs; nothing relative is left in the shipped text", () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({ alt: m[1], src: m[2] }));
    assert.ok(images.length >= 4, 'the editor, hover, quick fix and simulator screenshots');
    for (const { alt, src } of images) {
      assert.ok(alt.length > 20, `alt text for ${src}`);
      assert.match(src, /^images\/[\w-]+\.png$/);
      const bytes = fs.readFileSync(path.join(REPO, src));
      assert.ok(bytes.length <= 256 * 1024, `${src} is ${bytes.length} bytes (keep it under 256 KB)`);
      assert.ok(pngSize(bytes).width <= 1280, `${src} is wider than 1280 px`);
    }
    const { text, problems } = vsixReadme(readme, '');
    assert.deepEqual(problems, []);
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g))
      assert.match(m[1], /^(https:\/\/|#)/, `link or image left relative: ${m[1]}`);
    // The text around each screenshot still reads as a paragraph of its own.
    assert.doesNotMatch(text, /:\n\n+#/, 'a sentence ending in ":" before a heading');
  });

  it('vsce packages it without a warning, with the shipped README, the changelog and the licence', () => {
    const script = pkg.scripts.package;
    assert.match(script, /node scripts\/vsix-readme\.mjs/);
    const vsceArgs = /vsce (package .*)$/.exec(script)?.[1].split(/\s+/);
    assert.ok(vsceArgs, script);
    assert.ok(vsceArgs.includes('--readme-path') && vsceArgs.includes('dist/README.md'), script);
    if (
      !['client/extension.js', 'server/server.js', 'webview/main.js'].every((f) =>
        fs.existsSync(path.join(REPO, 'dist', f)),
      )
    )
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore', timeout: 180_000 });
    const env = { ...process.env, NO_COLOR: '1', WSLB_README_IMAGES_URL: '' };
    execFileSync(process.execPath, ['scripts/vsix-readme.mjs'], { cwd: REPO, stdio: 'ignore', env });

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-package-'));
    try {
      const out = path.join(tmp, 'wslb.vsix');
      const r = spawnSync(path.join(REPO, 'node_modules/.bin/vsce'), [...vsceArgs, '-o', out], {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 90_000,
        env,
      });
      const log = `${r.stdout}${r.stderr}`;
      assert.equal(r.status, 0, log);
      assert.doesNotMatch(log, /WARNING|warn/i, log);

      const files = unzip(out);
      const shipped = files.get('extension/readme.md')?.toString('utf8');
      assert.ok(shipped, [...files.keys()].join('\n'));
      assert.equal(shipped, fs.readFileSync(path.join(REPO, 'dist', 'README.md'), 'utf8'));
      assert.doesNotMatch(shipped, /!\[[^\]]*\]\((?!https:\/\/)/, 'only https images on the extension page');
      assert.ok(!files.has('extension/README.md'), 'only one README (the repository one stays out)');
      assert.match(files.get('extension/changelog.md')?.toString('utf8') ?? '', /^# Changelog/);
      assert.match(files.get('extension/LICENSE.txt')?.toString('utf8') ?? '', /^MIT License/);
      assert.ok(
        ![...files.keys()].some((f) => /^extension\/images\/(?!icon\.png$)/.test(f)),
        'no screenshot in the package',
      );

      // Exactly the bundles, grammars, language configurations, icon and documents (.vscodeignore).
      const inside = [...files.keys()]
        .filter((f) => f.startsWith('extension/'))
        .map((f) => f.slice('extension/'.length))
        .sort();
      const bundles = ['dist/client/extension.js', 'dist/server/server.js', 'dist/webview/main.js'];
      const expected = [
        ...bundles,
        // The Terraform parser (web-tree-sitter and its grammar), loaded by the server at startup.
        'dist/wasm/tree-sitter.wasm',
        'dist/wasm/tree-sitter-terraform.wasm',
        'changelog.md', // vsce's names for CHANGELOG.md, LICENSE and the --readme-path file
        'LICENSE.txt',
        'readme.md',
        'images/icon.png',
        'package.json',
        ...pkg.contributes.grammars.map((g) => g.path.replace(/^\.\//, '')),
        ...pkg.contributes.languages.map((l) => l.configuration!.replace(/^\.\//, '')),
      ];
      const legal = inside.filter((f) => /^dist\/[a-z]+\/[a-z]+\.js\.LEGAL\.txt$/.test(f));
      assert.deepEqual(inside, [...new Set([...expected, ...legal])].sort());
      for (const f of inside)
        assert.doesNotMatch(f, /\.map$|\.ts$|node_modules|^test\/|^server\/|^client\/|^dist\/cli\//, f);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
