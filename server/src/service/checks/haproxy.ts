/**
 * The HAProxy checks. Register a new code by adding one entry (kept in alphabetical order, so that
 * branches adding codes touch different lines); a finding's code is `haproxy/<name>`.
 */
import type { CheckDef } from './check';

const CONFIG = 'https://docs.haproxy.org/2.6/configuration.html';

export const HAPROXY_CHECKS = [
  {
    id: 'haproxy/invalid-value',
    severity: 'error',
    short: 'a keyword with a value it does not accept',
    long: 'The keyword takes one of a closed set of values (e.g. `mode http|tcp`, `balance` algorithms; the message lists them). `haproxy -c` reports "unknown ..." and refuses the configuration. When the target version is not 2.6, this is a warning: the list was read from HAProxy 2.6. A `timeout` value HAProxy cannot read is refused too: a character where a digit or unit belongs, or a value of 2^31 ms (about 24.8 days) or more ("timer overflow").',
    references: [CONFIG],
  },
  {
    id: 'haproxy/keyword-not-allowed-here',
    severity: 'error',
    short: 'a keyword written in a section where HAProxy does not accept it',
    long: 'Proxy keywords are allowed in some of `defaults`, `frontend`, `listen` and `backend` only (the keyword matrix of the configuration manual, section 4.1). `haproxy -c` either refuses the line or warns that it is ignored there; the message says which.',
    references: [CONFIG + '#4.1'],
  },
  {
    id: 'haproxy/keyword-removed',
    severity: 'error',
    short: 'a keyword that the target HAProxy version no longer has',
    long: 'The keyword (e.g. `reqadd`, `contimeout`, `option independent-streams`) was removed; `haproxy -c` refuses it and names the replacement, as the message does. Keywords that HAProxy 2.8 to 3.4 dropped are found by comparing the keyword tables of the versions wslb knows; the message names the last version that had it.',
    references: [CONFIG],
  },
  {
    id: 'haproxy/keyword-too-new',
    severity: 'error',
    short: 'a keyword that a later HAProxy version added, used with an older target version',
    long: 'wslb knows the keywords of HAProxy 2.6, 2.8, 3.0, 3.2 and 3.4 (each from its own manual, checked with its own `haproxy -c`). The keyword exists in a later version than the target, so `haproxy -c` of the target refuses it ("unknown keyword"). Set the version you deploy (`--haproxy-version`, `wslb.haproxyVersion`, or a `# wslb: haproxy 3.2` comment in the file) or use what the target has. A warning when the target lies between two tables (checked against the older one).',
    references: [CONFIG],
  },
  {
    id: 'haproxy/not-in-build',
    severity: 'warning',
    short: "a keyword or option that needs a feature Debian 12's HAProxy package is built without",
    long: "The keyword exists in HAProxy, but the build wslb checks against (Debian 12's `haproxy` 2.6 package) lacks the feature it needs, so `haproxy -c` refuses it there. Disable the check if your build has it.",
    references: [CONFIG],
  },
  {
    id: 'haproxy/syntax',
    severity: 'error',
    short: 'the text is not valid HAProxy configuration syntax',
    long: 'An unclosed quote, a bad escape or a section header HAProxy cannot read: `haproxy -c` reports a parse error at that line. wslb reports the problem and checks the rest of the file as well as it can. Syntax findings cannot be disabled by a comment.',
    references: [CONFIG + '#2.2'],
  },
  {
    id: 'haproxy/template',
    severity: 'information',
    short: 'the file is a template (Jinja2, ERB, Go templates, envsubst…): checked as if each placeholder were a value',
    long: 'Projects ship HAProxy configs as templates (`{{ var }}`, `{% if %}`, `<%= x %>`, a bare `${VAR}` for envsubst, `%%NAME%%`, `<IP_NODE_1>`). wslb reads the file as if each placeholder were rendered to a plain value (a control line to nothing), checks the rest, reports nothing on the lines that hold a placeholder, and says so once, here. A `"${VAR}"` inside double quotes is not a template: HAProxy expands environment variables itself, only within double quotes (configuration manual, section 2.3). Check the rendered file for the placeholder lines.',
    references: [CONFIG + '#2.3'],
  },
  {
    id: 'haproxy/version-unsupported',
    severity: 'information',
    short: 'the file targets a HAProxy version older than wslb knows the keywords of',
    long: "wslb has keyword tables for HAProxy 2.6, 2.8, 3.0, 3.2 and 3.4 (each from its own manual and binary). A target older than 2.6 (from `--haproxy-version`, `wslb.haproxyVersion`, a `# wslb: haproxy 1.8` comment, a sibling docker-compose.yml or Dockerfile pinning the image, or a file name such as `haproxy.1.x.cfg`) has keywords that later versions removed (`nbproc`, `reqadd`, ...): rather than reporting them as errors of a version the file does not run on, wslb says this once and does not check the file's keywords. The WebSocket rules still run.",
    references: [CONFIG],
  },
  {
    id: 'haproxy/unknown-action',
    severity: 'error',
    short: 'an `http-request`/`http-response`/`tcp-request`... rule with an unknown action',
    long: 'The action is not one HAProxy knows for this rule set; `haproxy -c` refuses the line. The message suggests the closest action. When the target version is not 2.6, this is a warning.',
    references: [CONFIG + '#4.2'],
  },
  {
    id: 'haproxy/unknown-bind-option',
    severity: 'error',
    short: 'a `bind` line with an option HAProxy does not know',
    long: 'HAProxy stops reading the `bind` line at the first unknown option and refuses the configuration; wslb does the same (the options after it are not checked). When the target version is not 2.6, this is a warning.',
    references: [CONFIG + '#5.1'],
  },
  {
    id: 'haproxy/unknown-defaults',
    severity: 'error',
    short: 'a proxy inherits `from` a `defaults` section that is not declared before it',
    long: 'A proxy may name the `defaults` section it inherits from (`backend be from mydefaults`); that section must exist and come earlier in the configuration. `haproxy -c` refuses it otherwise.',
    references: [CONFIG + '#4'],
  },
  {
    id: 'haproxy/unknown-keyword',
    severity: 'error',
    short: 'HAProxy has no keyword of this name in this section',
    long: 'Neither the section\'s keywords nor a known module has it: `haproxy -c` reports "unknown keyword" and refuses the configuration. The message suggests the closest keyword. When the target version is not 2.6, this is a warning: the keyword list was read from HAProxy 2.6.',
    references: [CONFIG],
  },
  {
    id: 'haproxy/unknown-server-option',
    severity: 'error',
    short: 'a `server`/`default-server` line with an option HAProxy does not know',
    long: 'HAProxy stops reading the `server` line at the first unknown option and refuses the configuration; wslb does the same. When the target version is not 2.6, this is a warning.',
    references: [CONFIG + '#5.2'],
  },
] as const satisfies readonly CheckDef[];
