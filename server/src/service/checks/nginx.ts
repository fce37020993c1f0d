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
    long: 'The directive (e.g. `location`, `upstream`, `map`) only exists with a block. `nginx -t` stops with "directive ... has no opening {". Give it its block.',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/deprecated-parameter',
    severity: 'warning',
    short: 'a `listen`/`server` parameter deprecated in the target nginx version',
    long: 'nginx still accepts the parameter but logs a warning at start-up and may drop it in a later version. The message names the replacement.',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/directive-not-allowed-here',
    severity: 'error',
    short: 'a directive written in a block where nginx does not accept it',
    long: 'Every directive is allowed in certain contexts only (`proxy_pass` in `location`, `upstream` in `http`, ...). `nginx -t` stops with "directive is not allowed here". The message lists where it belongs. A file included from several places is checked in the context of each `include`.',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/directive-removed',
    severity: 'error',
    short: 'a directive that the target nginx version no longer has',
    long: 'The directive existed in older nginx versions and was removed: `nginx -t` reports it as unknown. Set the target version (`--nginx-version`, `wslb.nginxVersion`) if it is wrong, or remove the directive.',
    references: ['https://nginx.org/en/CHANGES'],
  },
  {
    id: 'nginx/directive-too-new',
    severity: 'error',
    short: 'a directive (or its use in this block) needs a newer nginx than the target version',
    long: 'The directive was added, or allowed in this block, in a later nginx version than the one wslb checks against (default 1.22.1, Debian 12). nginx of the target version refuses the config. Set the version you deploy (`--nginx-version`, `wslb.nginxVersion`) or remove the directive. Reported only when you set the version: with the default target, a directive newer than it shows that your nginx is newer (configs that ship with their own nginx 1.25+ use `http2 on` and `listen ... quic`).',
    references: ['https://nginx.org/en/CHANGES'],
  },
  {
    id: 'nginx/include-cycle',
    severity: 'error',
    short: 'an `include` that leads back to a file already being included',
    long: 'nginx would include the files over and over until it runs out of file descriptors or memory. wslb stops at the repeated file. Remove the `include` that closes the cycle.',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-depth',
    severity: 'error',
    short: '`include` nested too deep: wslb stopped reading there',
    long: 'The includes nest deeper than wslb follows. Such nesting is almost always a cycle through glob patterns; the files below were not checked.',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-limit',
    severity: 'error',
    short: 'the includes go past what wslb reads for one config: the rest was not checked',
    long: 'wslb bounds the work per config: at most 2000 files from one include glob and 2000 files in all, 32 MB of files, and (with every include expanded) 100,000 directives or 8 times the directives of the distinct files, whichever is more. The finding names the limit that was reached and stands at the include where reading stopped; what that include and later ones bring in is unknown, so rules that need the whole config stay silent. Such sizes come from a glob over a system folder or files that include each other many times over.',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-not-file',
    severity: 'warning',
    short: 'an `include` names a directory, device, FIFO, socket or a file of /proc, /sys or /dev',
    long: 'wslb reads only regular files: a FIFO or a device could block or never end, and the "files" of /proc, /sys and /dev are made when read (a process environment, kernel memory), so their text must not reach the findings. `nginx -t` fails on a directory ("Is a directory") and would read the others as configuration. Name a regular file, or a glob of them.',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-not-found',
    severity: 'warning',
    short: 'an `include` names a file that does not exist where nginx looks for it',
    long: 'A relative `include` resolves against the configuration prefix (the folder of the main `nginx.conf`). Without a match (and without a glob, which may match nothing), `nginx -t` stops with "open() ... failed". The message lists the folders that were searched. When the file exists only on the server, disable the check for the line or the file.',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/include-outside-root',
    severity: 'warning',
    short: 'an `include` leads outside the checked folders and was not followed',
    long: "With `CI=true`, `--no-follow-outside-includes` or `wslb.followOutsideIncludes: false`, wslb reads no file outside the folders it was asked to check (the folder of a checked file counts), so that a pull request cannot make a CI job print the runner's files. What the include would bring in is unknown: rules that need the whole config stay silent. Pass `--follow-outside-includes` (or turn the setting on) to read it.",
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/invalid-flag-value',
    severity: 'error',
    short: 'an on/off directive with another value',
    long: 'Flag directives take `on` or `off` (in any case). `nginx -t` stops with "invalid value ... it must be on or off".',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/invalid-value',
    severity: 'error',
    short: 'a directive whose value is not one of those it accepts',
    long: 'The directive takes one of a closed set of values (the message lists them), or a time nginx cannot read: ngx_parse_time takes digits with units in descending order, each once (w, d, h, m, s, ms for timeouts; no sign, no exponent), and refuses values past 2^63 - 1 ms. `nginx -t` stops with "invalid value".',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/module-not-in-build',
    severity: 'warning',
    short: 'a directive from a module the target nginx build lacks',
    long: "The directive exists in nginx, but its module is not compiled into the build wslb checks against (Debian 12's `nginx` package) or is a dynamic module that is not loaded with `load_module`. Load the module, or disable the check when your build has it.",
    references: ['https://nginx.org/en/docs/configure.html'],
  },
  {
    id: 'nginx/nesting-too-deep',
    severity: 'error',
    short: 'blocks nested more than 200 levels deep across includes: wslb did not read the deepest one',
    long: 'wslb keeps a block nested deeper than 200 levels (counting the blocks of the files that include it) unread, so that a pathological config cannot exhaust its stack. Real configs nest a few levels; such depth is almost always generated or an include that re-enters the block it is in. Nothing inside that block was checked.',
    references: [CORE + '#include'],
  },
  {
    id: 'nginx/nginx-plus-only',
    severity: 'error',
    short: 'a directive or parameter of the commercial NGINX Plus only',
    long: 'nginx open source refuses it (`unknown directive` or `invalid parameter`). It works only with NGINX Plus; disable the check if that is what you run.',
    references: ['https://nginx.org/en/docs/'],
  },
  {
    id: 'nginx/parameter-too-new',
    severity: 'error',
    short: 'a parameter or value that needs a newer nginx than the target version',
    long: 'The value or `listen`/`server` parameter was added in a later nginx version: nginx of the target version refuses it. Set the version you deploy or use what that version has. Reported only when you set the version (`--nginx-version`, `wslb.nginxVersion`): with the default target, a newer parameter shows that your nginx is newer.',
    references: ['https://nginx.org/en/CHANGES'],
  },
  {
    id: 'nginx/syntax',
    severity: 'error',
    short: 'the text is not valid nginx configuration syntax',
    long: 'A missing `;`, an unclosed `{` or quote, a stray `}`: nginx stops reading the configuration at the first such problem. wslb reports the problem and checks the rest of the file as well as it can. Syntax findings cannot be disabled by a comment.',
    references: ['https://nginx.org/en/docs/beginners_guide.html#conf_structure'],
  },
  {
    id: 'nginx/template',
    severity: 'information',
    short: 'the file is a template (Jinja, Go, ERB, `${VAR}` …): placeholders are read as plain values',
    long: 'Configs shipped with placeholders (`{{ var }}`, `{% if %}`, `<%= x %>`, `${VAR}`, `%%NAME%%`, `<IP_NODE_1>`) are not nginx syntax until rendered. wslb says so once, checks the file as if every placeholder were a plain word, and reports nothing on the lines that hold one; check the rendered file for those lines.',
  },
  {
    id: 'nginx/third-party-directive',
    severity: 'hint',
    short: 'a directive from a known third-party module that stock nginx lacks',
    long: 'The directive comes from a third-party module (OpenResty\'s Lua, headers-more, ...): fine if your nginx is built with it, an "unknown directive" otherwise. wslb checks nothing inside it.',
  },
  {
    id: 'nginx/unexpected-block',
    severity: 'error',
    short: 'a `{ ... }` block after a directive that takes none',
    long: 'The directive ends with `;`; nginx stops with "directive ... has no opening {" style errors. Often a missing `;` before a block on the next line, or a block directive misspelt.',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/unknown-directive',
    severity: 'error',
    short: 'nginx has no directive of this name',
    long: 'Neither nginx (in the target version and build) nor a known module has the directive: `nginx -t` stops with "unknown directive". The message suggests the closest names. If it comes from a module wslb does not know, disable the check for the line or the file.',
    references: [DIRECTIVES],
  },
  {
    id: 'nginx/wrong-argument-count',
    severity: 'error',
    short: 'a directive with too many or too few arguments',
    long: 'The message says how many arguments the directive takes. `nginx -t` stops with "invalid number of arguments". A missing `;` that glues two lines together often shows up this way.',
    references: [DIRECTIVES],
  },
] as const satisfies readonly CheckDef[];
