/**
 * The nginx checks. Register a new code by adding one entry (kept in alphabetical order, so that
 * branches adding codes touch different lines); a finding's code is `nginx/<name>`, and the
 * validators' code parameters only accept names listed here (NginxCheckName).
 */
import type { CheckDef } from './check';

const CORE = 'https://nginx.org/en/docs/ngx_core_module.html';
const DIRECTIVES = 'https://nginx.org/en/docs/dirindex.html';

export const NGINX_CHECKS = [
  {
    id: 'nginx/block-expected',
    severity: 'error',
    short: 'a block directive ends with `;` instead of a `{ ... }` block',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/deprecated-parameter',
    severity: 'warning',
    short: 'a `listen`/`server` parameter deprecated in the target nginx version',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/directive-not-allowed-here',
    severity: 'error',
    short: 'a directive written in a block where nginx does not accept it',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/directive-removed',
    severity: 'error',
    short: 'a directive that the target nginx version no longer has',
    references: ['https://nginx.org/en/CHANGES'],
  },
  {
    id: 'nginx/directive-too-new',
    severity: 'error',
    short: 'a directive (or its use in this block) needs a newer nginx than the target version',
    references: ['https://nginx.org/en/CHANGES'],
  },
  {
    id: 'nginx/include-cycle',
    severity: 'error',
    short: 'an `include` that leads back to a file already being included',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-depth',
    severity: 'error',
    short: '`include` nested too deep: wslb stopped reading there',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-limit',
    severity: 'error',
    short: 'the includes go past what wslb reads for one config: the rest was not checked',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-not-file',
    severity: 'warning',
    short: 'an `include` names a directory, device, FIFO, socket or a file of /proc, /sys or /dev',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-not-found',
    severity: 'warning',
    short: 'an `include` names a file that does not exist where nginx looks for it',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-outside-root',
    severity: 'warning',
    short: 'an `include` leads outside the checked folders and was not followed',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/invalid-flag-value',
    severity: 'error',
    short: 'an on/off directive with another value',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/invalid-value',
    severity: 'error',
    short: 'a directive whose value is not one of those it accepts',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/module-not-in-build',
    severity: 'warning',
    short: 'a directive from a module the target nginx build lacks',
    references: ['https://nginx.org/en/docs/configure.html'],
  },
  {
    id: 'nginx/nesting-too-deep',
    severity: 'error',
    short: 'blocks nested more than 200 levels deep across includes: wslb did not read the deepest one',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/nginx-plus-only',
    severity: 'error',
    short: 'a directive or parameter of the commercial NGINX Plus only',
    references: ['https://nginx.org/en/docs/'],
  },
  {
    id: 'nginx/parameter-too-new',
    severity: 'error',
    short: 'a parameter or value that needs a newer nginx than the target version',
    references: ['https://nginx.org/en/CHANGES'],
  },
  {
    id: 'nginx/syntax',
    severity: 'error',
    short: 'the text is not valid nginx configuration syntax',
    references: ['https://nginx.org/en/docs/beginners_guide.html#conf_structure'],
  },
  {
    id: 'nginx/template',
    severity: 'information',
    short: 'the file is a template (Jinja, Go, ERB, `${VAR}` …): placeholders are read as plain values',
  },
  {
    id: 'nginx/third-party-directive',
    severity: 'hint',
    short: 'a directive from a known third-party module that stock nginx lacks',
  },
  {
    id: 'nginx/unexpected-block',
    severity: 'error',
    short: 'a `{ ... }` block after a directive that takes none',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/unknown-directive',
    severity: 'error',
    short: 'nginx has no directive of this name',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/wrong-argument-count',
    severity: 'error',
    short: 'a directive with too many or too few arguments',
    references: [DIRECTIVES],
  },
] as const satisfies readonly CheckDef[];
