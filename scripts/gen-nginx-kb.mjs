#!/usr/bin/env node
/**
 * Generates server/src/service/knowledge/generated/nginx-commands.json: for every nginx
 * open-source release from 1.0.0 on, which directives each module defines, where nginx accepts
 * them and how many arguments it takes. These are the facts `nginx -t` itself checks, read from
 * the command tables (`ngx_command_t`) of the nginx sources at each `release-*` tag.
 *
 * Usage:
 *   node scripts/gen-nginx-kb.mjs --src <path to a git clone of https://github.com/nginx/nginx> [--check]
 *   (or set NGINX_SRC). --check regenerates in memory and exits 1 if the committed JSON differs.
 *
 * Only facts are recorded (names, context bits, argument-count bits); no source code is copied.
 * The meaning of the bits follows src/core/ngx_conf_file.h and the check in
 * ngx_conf_handler() (src/core/ngx_conf_file.c): a directive is accepted when the block's
 * command type is among the directive's context bits, and the argument count is allowed by
 * NGX_CONF_NOARGS/TAKE1..7 bits, or by FLAG (exactly 1), 1MORE (>= 1), 2MORE (>= 2), ANY.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outPath = join(root, 'server/src/service/knowledge/generated/nginx-commands.json');

const args = process.argv.slice(2);
const check = args.includes('--check');
const srcIdx = args.indexOf('--src');
const src = srcIdx >= 0 ? args[srcIdx + 1] : process.env.NGINX_SRC;
if (!src) {
  console.error('gen-nginx-kb: pass --src <git clone of https://github.com/nginx/nginx> (or set NGINX_SRC).');
  process.exit(2);
}

function git(...a) {
  return execFileSync('git', ['--git-dir', gitDir(src), ...a], { encoding: 'utf8', maxBuffer: 256 << 20 });
}
function gitDir(p) {
  try {
    return execFileSync('git', ['-C', p, 'rev-parse', '--git-dir'], { encoding: 'utf8' })
      .trim()
      .replace(/^(?!\/)/, p + '/');
  } catch {
    return p;
  }
}

const versionOf = (tag) => tag.replace(/^release-/, '');
const cmpVersion = (a, b) => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
};

const tags = git('tag', '--list', 'release-1.*')
  .split('\n')
  .filter((t) => /^release-1\.\d+\.\d+$/.test(t))
  .sort((a, b) => cmpVersion(versionOf(a), versionOf(b)));

/** Context bits as names (ngx_conf_file.h, ngx_http_config.h, ngx_stream.h, ngx_mail.h, ngx_event.h). */
const CONTEXT_BITS = new Set([
  'NGX_MAIN_CONF',
  'NGX_DIRECT_CONF',
  'NGX_ANY_CONF',
  'NGX_EVENT_CONF',
  'NGX_HTTP_MAIN_CONF',
  'NGX_HTTP_SRV_CONF',
  'NGX_HTTP_LOC_CONF',
  'NGX_HTTP_UPS_CONF',
  'NGX_HTTP_SIF_CONF',
  'NGX_HTTP_LIF_CONF',
  'NGX_HTTP_LMT_CONF',
  'NGX_STREAM_MAIN_CONF',
  'NGX_STREAM_SRV_CONF',
  'NGX_STREAM_UPS_CONF',
  'NGX_MAIL_MAIN_CONF',
  'NGX_MAIL_SRV_CONF',
]);
const ARG_BITS = new Set([
  'NGX_CONF_NOARGS',
  'NGX_CONF_TAKE1',
  'NGX_CONF_TAKE2',
  'NGX_CONF_TAKE3',
  'NGX_CONF_TAKE4',
  'NGX_CONF_TAKE5',
  'NGX_CONF_TAKE6',
  'NGX_CONF_TAKE7',
  'NGX_CONF_TAKE12',
  'NGX_CONF_TAKE13',
  'NGX_CONF_TAKE23',
  'NGX_CONF_TAKE123',
  'NGX_CONF_TAKE1234',
  'NGX_CONF_FLAG',
  'NGX_CONF_1MORE',
  'NGX_CONF_2MORE',
  'NGX_CONF_ANY',
  'NGX_CONF_BLOCK',
]);
const short = (bit) => bit.replace(/^NGX_(CONF_)?/, '').replace(/_CONF$/, '');

/** Module id of a source file: its base name, with the few files named differently from their module. */
function moduleOf(path) {
  const base = path.replace(/^.*\//, '').replace(/\.c$/, '');
  if (base === 'ngx_http_upstream') return 'ngx_http_upstream_module';
  if (base === 'ngx_stream_upstream') return 'ngx_stream_upstream_module';
  if (base === 'ngx_http') return 'ngx_http_module';
  if (base === 'ngx_stream') return 'ngx_stream_module';
  if (base === 'ngx_mail') return 'ngx_mail_module';
  if (base === 'ngx_event') return 'ngx_event_core_module';
  if (base === 'nginx') return 'ngx_core_module';
  if (base === 'ngx_conf_file') return 'ngx_conf_module';
  if (base === 'ngx_event_openssl') return 'ngx_openssl_module';
  if (base === 'ngx_thread_pool') return 'ngx_thread_pool_module';
  if (base === 'ngx_regex') return 'ngx_regex_module';
  return base.endsWith('_module') ? base : base + '_module';
}

/** Parse the command entries of one release: [{name, module, file, bits[]}]. */
function commandsAt(tag) {
  const out = git('grep', '-n', '-A4', '-e', 'ngx_string("', tag, '--', 'src/*.c');
  const lines = out.split('\n');
  const result = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^[^:]+:(src\/[^:]+\.c):\d+:\s*\{\s*ngx_string\("([^"]+)"\),\s*$/.exec(lines[i]);
    if (!m) continue;
    // Flags follow on the next lines until the first comma that ends the expression.
    let flags = '';
    for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) {
      const body = lines[j].replace(/^[^:]*:src\/.*?\.c-\d+-/, '');
      flags += body;
      if (/,\s*$/.test(body)) break;
    }
    // NGX_CONF_MULTI (old releases) is defined as 0: it changes nothing.
    const bits = flags.split(/[|,\s]+/).filter((b) => b.startsWith('NGX_') && b !== 'NGX_CONF_MULTI');
    if (!bits.some((b) => CONTEXT_BITS.has(b))) continue; // a variable or header table, not a command
    const unknown = bits.filter((b) => !CONTEXT_BITS.has(b) && !ARG_BITS.has(b));
    if (unknown.length) throw new Error(`${tag} ${m[1]} ${m[2]}: unexpected flags ${unknown.join(' ')}`);
    result.push({ name: m[2], file: m[1], module: moduleOf(m[1]), bits });
  }
  return result;
}

/** Family of a command: which block type it belongs to (ngx_conf_handler compares module types). */
function familyOf(bits) {
  if (bits.includes('NGX_ANY_CONF')) return 'any';
  if (bits.some((b) => b.startsWith('NGX_HTTP_'))) return 'http';
  if (bits.some((b) => b.startsWith('NGX_STREAM_'))) return 'stream';
  if (bits.some((b) => b.startsWith('NGX_MAIL_'))) return 'mail';
  if (bits.includes('NGX_EVENT_CONF')) return 'events';
  return 'main';
}

function shapeOf(c) {
  const contexts = c.bits.filter((b) => CONTEXT_BITS.has(b) && b !== 'NGX_DIRECT_CONF').map(short);
  const argBits = c.bits.filter((b) => ARG_BITS.has(b) && b !== 'NGX_CONF_BLOCK').map(short);
  return {
    contexts: [...new Set(contexts)].sort(),
    args: [...new Set(argBits)].sort(),
    block: c.bits.includes('NGX_CONF_BLOCK'),
  };
}

const entries = new Map(); // key family/name/module -> { family, name, module, since, removed?, variants: [{since, ...shape}] }
let prevKeys = new Set();
for (const tag of tags) {
  const v = versionOf(tag);
  const seen = new Set();
  for (const c of commandsAt(tag)) {
    const family = familyOf(c.bits);
    const key = `${family}/${c.name}/${c.module}`;
    if (seen.has(key)) continue; // the same name twice in one module (#if branches): first wins
    seen.add(key);
    const shape = shapeOf(c);
    let e = entries.get(key);
    if (!e) {
      e = { family, name: c.name, module: c.module, since: v, variants: [] };
      entries.set(key, e);
    }
    if (e.removed && !prevKeys.has(key)) delete e.removed; // came back
    const last = e.variants[e.variants.length - 1];
    if (!last || JSON.stringify({ ...last, since: undefined }) !== JSON.stringify({ ...shape, since: undefined })) {
      e.variants.push({ since: v, ...shape });
    }
  }
  for (const key of prevKeys) if (!seen.has(key)) entries.get(key).removed = v;
  prevKeys = seen;
}

const directives = [...entries.values()].sort((a, b) =>
  a.name < b.name
    ? -1
    : a.name > b.name
      ? 1
      : a.family < b.family
        ? -1
        : a.family > b.family
          ? 1
          : a.module < b.module
            ? -1
            : 1,
);
const data = {
  $comment:
    'Generated by scripts/gen-nginx-kb.mjs from the ngx_command_t tables of https://github.com/nginx/nginx release tags. Do not edit by hand.',
  releases: tags.map(versionOf),
  directives,
};
const text = JSON.stringify(data, null, 1) + '\n';
if (check) {
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {
    // no file yet: it is out of date
  }
  if (current !== text) {
    console.error(`gen-nginx-kb: ${outPath} is out of date; run node scripts/gen-nginx-kb.mjs --src <nginx clone>`);
    process.exit(1);
  }
  console.log('gen-nginx-kb: up to date');
} else {
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, text);
  console.log(`gen-nginx-kb: wrote ${directives.length} directives over ${tags.length} releases to ${outPath}`);
}
