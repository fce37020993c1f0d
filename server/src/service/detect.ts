/**
 * Is this file nginx, HAProxy, or neither? Decided by content first, names second, so the
 * extension never claims every .conf/.cfg and the CLI can be pointed at a whole /etc.
 */
import { awsFormatOf } from './model/aws-build';
import { recogniseTemplate } from './template';
import type { ConfigLanguage } from './types';

/** Terraform, YAML and JSON files are never nginx or HAProxy configs (braces and semicolons would fool the scores). */
const NEVER_NGINX_HAPROXY = /\.(tf|tfvars|tf\.json|ya?ml|json)$/i;

/**
 * Every language wslb checks: AWS load balancers declared in Terraform/CloudFormation first
 * (decided by the resources the file declares), then nginx/HAProxy by content.
 */
export function detectConfigLanguage(path: string, text: string): ConfigLanguage | undefined {
  if (awsFormatOf(path, text)) return 'aws';
  return detectLanguage(path, text);
}

const HAPROXY_SECTION =
  /^[ \t]*(global|defaults|frontend|backend|listen|peers|resolvers|userlist|mailers|program|http-errors|ring|cache|log-forward|fcgi-app)\b[^{;\n]*$/;
const HAPROXY_KEYWORD =
  /^[ \t]+(bind|server|mode|balance|timeout|acl|use_backend|default_backend|option|http-request|http-response|maxconn|log|stats|default-server|tcp-request|retries)\b[^;{}\n]*$/;
const NGINX_LINE = /(;|\{|\})[ \t]*(#.*)?$/;
const NGINX_BLOCK = /^[ \t]*(http|server|location|upstream|events|stream|map|if)\b[^\n]*\{/;

/**
 * Binary data rather than a text config: NUL bytes and undecodable bytes (U+FFFD after UTF-8
 * decoding) make more than 1% of the text (at least 8 of them). A stray NUL in a hand-written
 * config is not enough: that config is checked (nginx reads the NUL as part of a word).
 */
export function looksBinary(text: string): boolean {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const bad = occurrences(sample, '\0') + occurrences(sample, '\ufffd');
  return bad >= 8 && bad * 100 > sample.length;
}

function occurrences(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** nginx or HAProxy (never 'aws': see detectConfigLanguage). */
export function detectLanguage(path: string, text: string): 'nginx' | 'haproxy' | undefined {
  if (NEVER_NGINX_HAPROXY.test(path)) return undefined;
  const raw = text.length > 200_000 ? text.slice(0, 200_000) : text;
  if (looksBinary(raw)) return undefined;
  // A template is scored as rendered: `{% if %}` / `{{ x }}` lines end in a brace like nginx's
  // blocks, and would make a Jinja2 HAProxy file look like nginx (template.ts).
  const sample = recogniseTemplate(raw)?.text ?? raw;
  let h = 0;
  let n = 0;
  let lines = 0;
  for (const raw of sample.split(/\r\n|\n|\r/)) {
    const line = raw.indexOf('#') < 0 ? raw : raw.replace(/(^|[ \t])#.*$/, '');
    if (!line.trim()) continue;
    lines++;
    if (HAPROXY_SECTION.test(line)) h += 3;
    else if (HAPROXY_KEYWORD.test(line)) h += 1;
    if (NGINX_BLOCK.test(line)) n += 3;
    else if (NGINX_LINE.test(line)) n += 1;
    if (lines > 4000) break;
  }
  // `haproxy.cfg.j2`, `nginx.conf.erb`: the name of the rendered file
  const name = path.toLowerCase().replace(/\.(j2|jinja2?|erb|tmpl|tpl|template|sigil|ejs|liquid|mustache|hbs)$/, '');
  if (/haproxy|\.cfg$/.test(name)) h += 2;
  if (/nginx|\.conf$|sites-(available|enabled)/.test(name)) n += 2;
  const minimum = 3;
  if (h < minimum && n < minimum) return undefined;
  if (h === n) return undefined;
  return h > n ? 'haproxy' : 'nginx';
}
