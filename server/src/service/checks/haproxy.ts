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
    long: 'The keyword (e.g. `reqadd`, `contimeout`, `option independent-streams`) was removed; `haproxy -c` refuses it and names the replacement, as the message does.',
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
