/**
 * wslb's settings, once: name, type, default, order and description of each `wslb.*` setting.
 *
 * The one table of defaults for every part that reads settings: the extension (client/src),
 * the language server (server/src/lsp/protocol.ts DEFAULT_SETTINGS, lsp/project.ts), the language
 * service's own defaults (server/src/service/options.ts) and package.json's
 * `contributes.configuration`, which scripts/manifest.ts writes from this table (plus the rule ids
 * of `wslb.rules`, from the rule registry); test/client/settings.test.ts fails when they differ.
 *
 * Plain data with no imports, so the client, the server, the webview and the scripts can all
 * import it.
 */

/** The settings section (`wslb.heartbeat`, …) and the title of the settings group. */
export const SETTINGS_SECTION = 'wslb';
export const SETTINGS_TITLE = 'WebSocket LB Doctor';

/** The severities a rule can be given in `wslb.rules` (`off` turns it off). */
export const RULE_SEVERITIES = ['off', 'error', 'warning', 'info', 'hint'] as const;
export const RULE_SEVERITY_DESCRIPTIONS = [
  'Do not report this rule',
  'Report as an error',
  'Report as a warning',
  'Report as information',
  'Report as a hint (no squiggle, shown faded)',
];

/** Where the "Simulate balancing" CodeLens is shown. */
export const CODE_LENS_MODES = ['websocket', 'all', 'off'] as const;
export type CodeLensMode = (typeof CODE_LENS_MODES)[number];

/** One setting as package.json declares it (VS Code's configuration schema), keyed by its name. */
export interface SettingSpec {
  type: 'string' | 'number' | 'boolean' | 'object';
  default: unknown;
  /** Position in the Settings editor (heartbeat first). */
  order: number;
  scope: 'resource' | 'window';
  markdownDescription: string;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  pattern?: string;
  patternErrorMessage?: string;
  minimum?: number;
  maximum?: number;
  additionalProperties?: unknown;
}

export const SETTINGS = {
  heartbeat: {
    type: 'string',
    default: '30s',
    order: 1,
    scope: 'resource',
    pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$',
    patternErrorMessage: 'A duration such as 30s, 45s, 2m or 500ms.',
    markdownDescription:
      'How often your application sends WebSocket pings (heartbeats). Rules compare proxy idle timeouts (`proxy_read_timeout`, `timeout tunnel`, `idle_timeout`, …) with it: a timeout shorter than the heartbeat cuts idle connections. nginx-style durations: `30s`, `2m`, `500ms`.',
  },
  nginxVersion: {
    type: 'string',
    default: '1.22.1',
    order: 2,
    scope: 'resource',
    pattern: '^\\d+\\.\\d+(\\.\\d+)?$',
    markdownDescription:
      "The nginx version your configs run on (1.0.0 or later). Directives and parameters newer than this are reported; defaults that changed between versions follow it. A file's own `# wslb: nginx 1.26` comment wins over this setting, which wins over a docker-compose.yml or Dockerfile beside the file pinning `nginx:X`.",
  },
  haproxyVersion: {
    type: 'string',
    default: '2.6.12',
    order: 3,
    scope: 'resource',
    pattern: '^\\d+\\.\\d+(\\.\\d+)?$',
    markdownDescription:
      "The HAProxy version your configs run on (any version). Keywords are checked against wslb's table for that version (2.6, 2.8, 3.0, 3.2, 3.4; a version between two uses the older one); versions before 2.6 are not keyword-checked. A file's own `# wslb: haproxy 3.0` comment wins over this setting, which wins over a docker-compose.yml or Dockerfile beside the file pinning `haproxy:X`.",
  },
  rules: {
    type: 'object',
    default: {},
    order: 4,
    scope: 'resource',
    additionalProperties: {
      type: 'string',
      enum: RULE_SEVERITIES,
      enumDescriptions: RULE_SEVERITY_DESCRIPTIONS,
    },
    markdownDescription:
      'Severity per rule or check id, or `off`. Example: `{ "nginx/upstream-no-zone": "off", "haproxy/ws-balance-roundrobin": "error" }`. Every code shown in a problem works here (the code links to its page); `wslb rules` lists them and `wslb explain` explains them.',
  },
  codeLens: {
    type: 'string',
    default: 'websocket',
    order: 5,
    scope: 'resource',
    enum: CODE_LENS_MODES,
    enumDescriptions: [
      'Above the upstreams, backends and target groups that carry WebSocket',
      'Above every upstream, backend and target group',
      'Nowhere (the command and the editor title button still open the simulator)',
    ],
    markdownDescription: 'Where the "Simulate balancing" CodeLens is shown.',
  },
  checkWorkspace: {
    type: 'boolean',
    default: true,
    order: 6,
    scope: 'window',
    markdownDescription:
      'Also check the nginx/HAProxy files of the workspace that are not open (in the background), so the Problems panel shows the whole configuration.',
  },
  followOutsideIncludes: {
    type: 'boolean',
    default: true,
    order: 7,
    scope: 'window',
    markdownDescription:
      'Read nginx `include`s that lead outside the workspace folders (for example `/etc/nginx/mime.types`). When off, such an include is not read and a finding says so. `/proc`, `/sys`, `/dev`, directories and FIFOs are never read.',
  },
  detectContent: {
    type: 'boolean',
    default: true,
    order: 8,
    scope: 'resource',
    markdownDescription:
      'Treat a `.conf` file that is clearly nginx (or a `.cfg` that is clearly HAProxy) as such, when no other extension gave it a language (it opened as Plain Text or Properties). Decided by the content alone.',
  },
  debounceMs: {
    type: 'number',
    default: 150,
    order: 9,
    scope: 'window',
    minimum: 0,
    maximum: 10000,
    markdownDescription: 'Milliseconds to wait after the last keystroke before re-checking a document.',
  },
  'trace.server': {
    type: 'string',
    default: 'off',
    order: 10,
    scope: 'window',
    enum: ['off', 'messages', 'verbose'],
    markdownDescription:
      'Log the messages between VS Code and the wslb language server in the **wslb** output channel (for bug reports).',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

/** The default of a setting, by its name without the `wslb.` prefix. */
export function settingDefault<K extends SettingName>(name: K): (typeof SETTINGS)[K]['default'] {
  return SETTINGS[name].default;
}

/** Settings only the extension reads (the server never sees them). */
export const CLIENT_ONLY_SETTINGS: readonly SettingName[] = ['detectContent'];
