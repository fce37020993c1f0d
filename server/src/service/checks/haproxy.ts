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
    references: [CONFIG],
  },
  {
    id: 'haproxy/keyword-not-allowed-here',
    severity: 'error',
    short: 'a keyword written in a section where HAProxy does not accept it',
    references: [CONFIG + '#4.1'],
  },
  {
    id: 'haproxy/keyword-removed',
    severity: 'error',
    short: 'a keyword that the target HAProxy version no longer has',
    references: [CONFIG],
  },
  {
    id: 'haproxy/keyword-too-new',
    severity: 'error',
    short: 'a keyword that a later HAProxy version added, used with an older target version',
    references: [CONFIG],
  },
  {
    id: 'haproxy/not-in-build',
    severity: 'warning',
    short: "a keyword or option that needs a feature Debian 12's HAProxy package is built without",
    references: [CONFIG],
  },
  {
    id: 'haproxy/syntax',
    severity: 'error',
    short: 'the text is not valid HAProxy configuration syntax',
    references: [CONFIG + '#2.2'],
  },
  {
    id: 'haproxy/template',
    severity: 'information',
    short: 'the file is a template (Jinja2, ERB, Go templates, envsubst…): checked as if each placeholder were a value',
    references: [CONFIG + '#2.3'],
  },
  {
    id: 'haproxy/version-unsupported',
    severity: 'information',
    short: 'the file targets a HAProxy version older than wslb knows the keywords of',
    references: [CONFIG],
  },
  {
    id: 'haproxy/unknown-action',
    severity: 'error',
    short: 'an `http-request`/`http-response`/`tcp-request`... rule with an unknown action',
    references: [CONFIG + '#4.2'],
  },
  {
    id: 'haproxy/unknown-bind-option',
    severity: 'error',
    short: 'a `bind` line with an option HAProxy does not know',
    references: [CONFIG + '#5.1'],
  },
  {
    id: 'haproxy/unknown-defaults',
    severity: 'error',
    short: 'a proxy inherits `from` a `defaults` section that is not declared before it',
    references: [CONFIG + '#4'],
  },
  {
    id: 'haproxy/unknown-keyword',
    severity: 'error',
    short: 'HAProxy has no keyword of this name in this section',
    references: [CONFIG],
  },
  {
    id: 'haproxy/unknown-server-option',
    severity: 'error',
    short: 'a `server`/`default-server` line with an option HAProxy does not know',
    references: [CONFIG + '#5.2'],
  },
] as const satisfies readonly CheckDef[];
