// Source of syntaxes/haproxy.tmLanguage.json. Edit this file, then run
// `node syntaxes/src/build.mjs` (the grammar test fails when the JSON is stale).
//
// Facts from the HAProxy configuration manual (2.6, /usr/share/doc/haproxy/html/configuration.html,
// also https://docs.haproxy.org/2.6/configuration.html):
//   2.1  one statement per line; an unprotected '#' starts a comment anywhere on the line
//        ("global#this is the global section" is valid);
//   2.2  '\' escapes outside quotes, "..." is weak quoting (environment variables expand),
//        '...' is strong quoting (nothing is interpreted);
//   2.3  environment variables "$NAME", "${NAME}", "${NAME-default}", "${NAME[*]}" and the
//        pseudo-variables .FILE/.LINE/.SECTION, only inside double quotes;
//   2.4  conditional blocks .if/.elif/.else/.endif with predicates defined(), feature(),
//        streq(), strneq(), version_atleast(), version_before(); and .diag/.notice/.warning/.alert;
//   4    section keywords (defaults [<name>] [from <defaults>], frontend/backend/listen <name>
//        [from <defaults>]);
//   5.1  bind options; 5.2 server and default-server options (lists below);
//   7    ACLs: acl <name> <fetch> [flags] [operator] [<value>...], conditions with if/unless,
//        '!', '||'/'or', and anonymous ACLs between braces;
//   8.2.4 log-format variables %xx and %{...}xx, and sample expressions %[fetch,converter].

const r = String.raw;

const SECTIONS = [
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'peers',
  'resolvers',
  'userlist',
  'mailers',
  'program',
  'http-errors',
  'ring',
  'cache',
  'fcgi-app',
  'log-forward',
  'crt-store',
  'traces',
  'acme',
  'namespace_list',
];

// 5.2 Server and default-server options (2.6 manual, plus a few later additions).
const SERVER_OPTIONS = [
  'addr',
  'agent-addr',
  'agent-check',
  'agent-inter',
  'agent-port',
  'agent-send',
  'allow-0rtt',
  'alpn',
  'backup',
  'ca-file',
  'check',
  'check-alpn',
  'check-proto',
  'check-send-proxy',
  'check-sni',
  'check-ssl',
  'check-via-socks4',
  'ciphers',
  'ciphersuites',
  'cookie',
  'crl-file',
  'crt',
  'disabled',
  'downinter',
  'enabled',
  'error-limit',
  'fall',
  'fastinter',
  'force-sslv3',
  'force-tlsv10',
  'force-tlsv11',
  'force-tlsv12',
  'force-tlsv13',
  'id',
  'init-addr',
  'inter',
  'log-proto',
  'max-reuse',
  'maxconn',
  'maxqueue',
  'minconn',
  'namespace',
  'no-agent-check',
  'no-backup',
  'no-check',
  'no-check-ssl',
  'no-send-proxy',
  'no-send-proxy-v2',
  'no-send-proxy-v2-ssl',
  'no-send-proxy-v2-ssl-cn',
  'no-ssl',
  'no-ssl-reuse',
  'no-sslv3',
  'no-tfo',
  'no-tls-tickets',
  'no-tlsv10',
  'no-tlsv11',
  'no-tlsv12',
  'no-tlsv13',
  'no-verifyhost',
  'non-stick',
  'npn',
  'observe',
  'on-error',
  'on-marked-down',
  'on-marked-up',
  'pool-low-conn',
  'pool-max-conn',
  'pool-purge-delay',
  'port',
  'proto',
  'proxy-v2-options',
  'redir',
  'resolve-net',
  'resolve-opts',
  'resolve-prefer',
  'resolvers',
  'rise',
  'send-proxy',
  'send-proxy-v2',
  'send-proxy-v2-ssl',
  'send-proxy-v2-ssl-cn',
  'slowstart',
  'sni',
  'socks4',
  'source',
  'ssl',
  'ssl-max-ver',
  'ssl-min-ver',
  'ssl-reuse',
  'stick',
  'tcp-ut',
  'tfo',
  'track',
  'verify',
  'verifyhost',
  'weight',
  'ws',
  // later versions
  'hash-key',
  'init-state',
  'guid',
  'curves',
  'sigalgs',
  'client-sigalgs',
  'shard',
  'set-proxy-v2-tlv-fmt',
  'strict-maxconn',
  'pool-conn-name',
  'check-reuse-pool',
  'usesrc',
];

// 5.1 Bind options (2.6 manual, plus a few later additions).
const BIND_OPTIONS = [
  'accept-netscaler-cip',
  'accept-proxy',
  'allow-0rtt',
  'alpn',
  'backlog',
  'ca-file',
  'ca-ignore-err',
  'ca-sign-file',
  'ca-sign-pass',
  'ca-verify-file',
  'ciphers',
  'ciphersuites',
  'crl-file',
  'crt',
  'crt-ignore-err',
  'crt-list',
  'curves',
  'defer-accept',
  'ecdhe',
  'expose-fd',
  'force-sslv3',
  'force-tlsv10',
  'force-tlsv11',
  'force-tlsv12',
  'force-tlsv13',
  'generate-certificates',
  'gid',
  'group',
  'id',
  'interface',
  'level',
  'maxconn',
  'mode',
  'mss',
  'name',
  'namespace',
  'nice',
  'no-ca-names',
  'no-sslv3',
  'no-tls-tickets',
  'no-tlsv10',
  'no-tlsv11',
  'no-tlsv12',
  'no-tlsv13',
  'npn',
  'prefer-client-ciphers',
  'process',
  'proto',
  'quic-cc-algo',
  'quic-force-retry',
  'severity-output',
  'shards',
  'ssl',
  'ssl-max-ver',
  'ssl-min-ver',
  'strict-sni',
  'tcp-ut',
  'tfo',
  'thread',
  'tls-ticket-keys',
  'transparent',
  'uid',
  'user',
  'v4v6',
  'v6only',
  'verify',
  // later versions
  'sigalgs',
  'client-sigalgs',
  'nbconn',
  'guid-prefix',
  'idle-ping',
  'quic-socket',
  'default-crt',
  'ktls',
  'cc',
];

const words = (list) => list.map((w) => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');

/** End of a statement: end of line. */
const EOL = '$';

/** A statement rule: keyword(s) captured by `begin`, then the rest of the line. */
function statement(begin, beginCaptures, patterns, name) {
  return { begin, beginCaptures, end: EOL, name, patterns: [...patterns, { include: '#args' }] };
}

export default {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'HAProxy (wslb)',
  scopeName: 'source.wslb.haproxy',
  fileTypes: ['haproxy'],
  patterns: [{ include: '#comment' }, { include: '#conditional' }, { include: '#section' }, { include: '#statement' }],
  repository: {
    comment: {
      // An unprotected '#' (not escaped, not inside quotes) comments out the rest of the line.
      match: r`(?<!\\)(#).*$`,
      name: 'comment.line.number-sign.haproxy',
      captures: { 1: { name: 'punctuation.definition.comment.haproxy' } },
    },

    conditional: {
      patterns: [
        {
          begin: r`^\s*(\.(?:if|elif))(?=\s|$)`,
          beginCaptures: { 1: { name: 'keyword.control.conditional.haproxy' } },
          end: EOL,
          name: 'meta.preprocessor.conditional.haproxy',
          patterns: [
            { include: '#comment' },
            {
              begin: r`\b(defined|feature|streq|strneq|version_atleast|version_before|enabled)(\()`,
              beginCaptures: {
                1: { name: 'support.function.predicate.haproxy' },
                2: { name: 'punctuation.section.arguments.begin.haproxy' },
              },
              end: r`\)`,
              endCaptures: { 0: { name: 'punctuation.section.arguments.end.haproxy' } },
              patterns: [
                { include: '#string' },
                { match: ',', name: 'punctuation.separator.arguments.haproxy' },
                { match: r`[^\s,()"'#]+`, name: 'variable.parameter.haproxy' },
              ],
            },
            { match: r`&&|\|\||!`, name: 'keyword.operator.logical.haproxy' },
            { match: r`[()]`, name: 'punctuation.section.parens.haproxy' },
            { match: r`\b\d+\b`, name: 'constant.numeric.haproxy' },
            { include: '#string' },
          ],
        },
        {
          match: r`^\s*(\.(?:else|endif))(?=\s|#|$)`,
          captures: { 1: { name: 'keyword.control.conditional.haproxy' } },
        },
        {
          begin: r`^\s*(\.(?:diag|notice|warning|alert))(?=\s|$)`,
          beginCaptures: { 1: { name: 'keyword.other.message.haproxy' } },
          end: EOL,
          patterns: [{ include: '#comment' }, { include: '#string' }],
        },
      ],
    },

    // Section headers: global, defaults [name] [from defaults], frontend name [from defaults], ...
    section: {
      match: `^\\s*(${words(SECTIONS)})(?=\\s|#|$)(?:\\s+(?!from\\b)([^\\s#]+))?(?:\\s+(from)\\s+([^\\s#]+))?`,
      name: 'meta.section-header.haproxy',
      captures: {
        1: { name: 'storage.type.section.$1.haproxy' },
        2: { name: 'entity.name.section.haproxy' },
        3: { name: 'keyword.other.from.haproxy' },
        4: { name: 'entity.name.type.defaults.haproxy' },
      },
    },

    statement: {
      patterns: [
        { include: '#acl' },
        { include: '#server' },
        { include: '#bind' },
        { include: '#backend-switch' },
        { include: '#http-rule' },
        { include: '#tcp-rule' },
        { include: '#option' },
        { include: '#two-word' },
        { include: '#capture' },
        { include: '#mode' },
        { include: '#balance' },
        { include: '#log-format' },
        { include: '#generic' },
      ],
    },

    // acl <name> <fetch>[(args)][,converter...] [flags] [values...]
    acl: statement(
      r`^\s*(acl)(?![\w.\-])\s+([^\s#]+)`,
      {
        1: { name: 'keyword.other.acl.haproxy' },
        2: { name: 'entity.name.variable.acl.haproxy' },
      },
      [
        { include: '#comment' },
        {
          begin: r`\G\s+([A-Za-z_][\w.\-]*)(\()`,
          beginCaptures: {
            1: { name: 'support.function.fetch.haproxy' },
            2: { name: 'punctuation.section.arguments.begin.haproxy' },
          },
          end: r`\)`,
          endCaptures: { 0: { name: 'punctuation.section.arguments.end.haproxy' } },
          patterns: [{ include: '#call-args' }],
        },
        { match: r`\G\s+([A-Za-z_][\w.\-]*)`, captures: { 1: { name: 'support.function.fetch.haproxy' } } },
        { include: '#converter' },
        { include: '#flag' },
      ],
      'meta.statement.acl.haproxy',
    ),

    // server <name> <address>[:port] [options]   /   default-server [options]
    server: {
      patterns: [
        statement(
          r`^\s*(server)(?![\w.\-])(?:\s+([^\s#]+))?(?:\s+([^\s#]+))?`,
          {
            1: { name: 'keyword.other.server.haproxy' },
            2: { name: 'entity.name.tag.server.haproxy' },
            3: { patterns: [{ include: '#address' }] },
          },
          [{ include: '#comment' }, { include: '#server-option' }],
          'meta.statement.server.haproxy',
        ),
        statement(
          r`^\s*(default-server|server-template)(?![\w.\-])`,
          { 1: { name: 'keyword.other.server.haproxy' } },
          [{ include: '#comment' }, { include: '#server-option' }],
          'meta.statement.server.haproxy',
        ),
      ],
    },
    'server-option': {
      match: `(?<=\\s)(${words(SERVER_OPTIONS)})(?=\\s|#|$)`,
      name: 'entity.other.attribute-name.server-option.haproxy',
    },

    // bind <address>[,<address>...] [options]
    bind: statement(
      r`^\s*(bind)(?![\w.\-])(?:\s+([^\s#]+))?`,
      {
        1: { name: 'keyword.other.bind.haproxy' },
        2: { patterns: [{ include: '#address' }] },
      },
      [
        { include: '#comment' },
        {
          match: `(?<=\\s)(${words(BIND_OPTIONS)})(?=\\s|#|$)`,
          name: 'entity.other.attribute-name.bind-option.haproxy',
        },
      ],
      'meta.statement.bind.haproxy',
    ),

    // use_backend <name> [if|unless cond], default_backend <name>, use-server <name> ...
    'backend-switch': statement(
      r`^\s*(use_backend|default_backend|use-server|use-fcgi-app|redirect)(?![\w.\-])(?:\s+(?!(?:if|unless)\b)([^\s#]+))?`,
      {
        1: { name: 'keyword.other.haproxy' },
        2: {
          name: 'entity.name.type.backend.haproxy',
          patterns: [{ include: '#sample-expr' }, { include: '#string' }],
        },
      },
      [],
      'meta.statement.haproxy',
    ),

    // http-request <action> ..., http-response, http-after-response, http-error, http-check, tcp-check
    'http-rule': statement(
      r`^\s*(http-(?:request|response|after-response)|http-check|tcp-check|http-error|quic-initial)(?![\w.\-])(?:\s+([A-Za-z][\w\-]*)(?:(\()([^)\s]*)(\)))?)?(?:(?<=-header)\s+((?:\\.|[^\s#"'\\])+|"(?:[^"\\]|\\.)*"|'[^']*'))?`,
      {
        1: { name: 'keyword.other.haproxy' },
        2: { name: 'support.function.action.haproxy' },
        3: { name: 'punctuation.section.arguments.begin.haproxy' },
        4: { name: 'variable.other.haproxy-variable.haproxy' },
        5: { name: 'punctuation.section.arguments.end.haproxy' },
        6: { name: 'support.type.property-name.header.haproxy', patterns: [{ include: '#string' }] },
      },
      [],
      'meta.statement.haproxy',
    ),

    // tcp-request connection|content|session|inspect-delay <action>, tcp-response content <action>
    'tcp-rule': statement(
      r`^\s*(tcp-(?:request|response))(?![\w.\-])(?:\s+(connection|content|session|inspect-delay)(?![\w.\-]))?(?:\s+([A-Za-z][\w\-]*)(?:(\()([^)\s]*)(\)))?)?`,
      {
        1: { name: 'keyword.other.haproxy' },
        2: { name: 'keyword.other.haproxy' },
        3: { name: 'support.function.action.haproxy' },
        4: { name: 'punctuation.section.arguments.begin.haproxy' },
        5: { name: 'variable.other.haproxy-variable.haproxy' },
        6: { name: 'punctuation.section.arguments.end.haproxy' },
      },
      [],
      'meta.statement.haproxy',
    ),

    // [no] option <name> [args]
    option: statement(
      r`^\s*(?:(no)\s+)?(option)\s+([A-Za-z][\w\-]*)(?![\w.])`,
      {
        1: { name: 'keyword.operator.negation.haproxy' },
        2: { name: 'keyword.other.option.haproxy' },
        3: { name: 'keyword.other.option-name.haproxy' },
      },
      [],
      'meta.statement.option.haproxy',
    ),

    // keywords whose second word is part of the keyword: timeout tunnel, stats uri, ...
    'two-word': statement(
      r`^\s*(timeout|stats|email-alert|compression|stick|persist|rate-limit|external-check|monitor|declare|no\s+log)(?![\w.\-])(?:\s+([A-Za-z][\w\-.]*))?`,
      {
        1: { name: 'keyword.other.haproxy' },
        2: { name: 'keyword.other.haproxy' },
      },
      [],
      'meta.statement.haproxy',
    ),

    // capture request|response header|cookie <name> len <n>
    capture: statement(
      r`^\s*(capture)(?![\w.\-])\s+((?:request|response)\s+(?:header)|cookie)(?:\s+((?:\\.|[^\s#"'\\])+))?`,
      {
        1: { name: 'keyword.other.haproxy' },
        2: { name: 'keyword.other.haproxy' },
        3: { name: 'support.type.property-name.header.haproxy' },
      },
      [{ match: r`(?<=\s)len(?=\s)`, name: 'keyword.other.haproxy' }],
      'meta.statement.haproxy',
    ),

    mode: {
      match: r`^\s*(mode)\s+(http|tcp|health|log|spop)(?=\s|#|$)`,
      captures: {
        1: { name: 'keyword.other.haproxy' },
        2: { name: 'constant.language.mode.haproxy' },
      },
    },

    balance: statement(
      r`^\s*(balance)(?![\w.\-])(?:\s+([A-Za-z][\w\-]*))?`,
      {
        1: { name: 'keyword.other.haproxy' },
        2: { name: 'support.constant.algorithm.haproxy' },
      },
      [],
      'meta.statement.haproxy',
    ),

    // log-format and friends: the rest of the line is a log-format string
    'log-format': {
      begin: r`^\s*(log-format(?:-sd)?|error-log-format|unique-id-format|unique-id-header)(?=\s|$)`,
      beginCaptures: { 1: { name: 'keyword.other.haproxy' } },
      end: EOL,
      name: 'meta.statement.log-format.haproxy',
      patterns: [
        { include: '#comment' },
        { include: '#string' },
        { include: '#log-format-body' },
        { include: '#escape' },
      ],
    },
    'log-format-body': {
      patterns: [{ include: '#sample-expr' }, { include: '#log-variable' }],
    },
    'log-variable': {
      match: r`%%|%(?:\{[^}\s]*\})?[A-Za-z][A-Za-z0-9]*`,
      name: 'constant.other.placeholder.haproxy',
    },

    generic: statement(
      r`^\s*([A-Za-z][\w.\-]*)`,
      { 1: { name: 'keyword.other.haproxy' } },
      [],
      'meta.statement.haproxy',
    ),

    args: {
      patterns: [
        { include: '#comment' },
        { include: '#condition' },
        { include: '#string' },
        { include: '#sample-expr' },
        { include: '#bare-expr' },
        { include: '#address' },
        { include: '#number' },
        { include: '#escape' },
      ],
    },

    // fetch(args),converter,... written without %[ ] (set-var, ACL-less arguments)
    'bare-expr': {
      begin: r`(?<![^\s{!(,])([A-Za-z_][\w.\-]*)(\()`,
      beginCaptures: {
        1: { name: 'support.function.fetch.haproxy' },
        2: { name: 'punctuation.section.arguments.begin.haproxy' },
      },
      end: r`(?=[\s#]|$)`,
      name: 'meta.sample-expression.haproxy',
      patterns: [
        {
          begin: r`\G`,
          end: r`\)`,
          endCaptures: { 0: { name: 'punctuation.section.arguments.end.haproxy' } },
          patterns: [{ include: '#call-args' }],
        },
        { include: '#converter' },
      ],
    },

    // if|unless <condition> -- runs to the end of the line
    condition: {
      begin: r`(?<=\s)(if|unless)(?=\s|$)`,
      beginCaptures: { 1: { name: 'keyword.control.conditional.haproxy' } },
      end: r`(?=#)|$`,
      name: 'meta.condition.haproxy',
      patterns: [
        { include: '#comment' },
        { match: r`!`, name: 'keyword.operator.logical.not.haproxy' },
        { match: r`\|\||(?<=\s)or(?=\s)`, name: 'keyword.operator.logical.or.haproxy' },
        {
          begin: r`\{`,
          beginCaptures: { 0: { name: 'punctuation.section.braces.begin.haproxy' } },
          end: r`\}`,
          endCaptures: { 0: { name: 'punctuation.section.braces.end.haproxy' } },
          name: 'meta.acl.anonymous.haproxy',
          patterns: [
            {
              begin: r`\G\s*([A-Za-z_][\w.\-]*)(\()`,
              beginCaptures: {
                1: { name: 'support.function.fetch.haproxy' },
                2: { name: 'punctuation.section.arguments.begin.haproxy' },
              },
              end: r`\)`,
              endCaptures: { 0: { name: 'punctuation.section.arguments.end.haproxy' } },
              patterns: [{ include: '#call-args' }],
            },
            { match: r`\G\s*([A-Za-z_][\w.\-]*)`, captures: { 1: { name: 'support.function.fetch.haproxy' } } },
            { include: '#converter' },
            { include: '#flag' },
            { include: '#string' },
            { include: '#address' },
            { include: '#number' },
          ],
        },
        { match: r`[A-Za-z_][\w.\-]*`, name: 'variable.other.acl.haproxy' },
      ],
    },

    // -i, -m str, -f file, -u, -n, -M, --
    flag: {
      match: r`(?<=\s)(-[A-Za-z]+|--)(?=\s|$)(?:\s+(?<=-m\s)(str|beg|end|sub|dir|dom|reg|len|bool|found|int|ip|bin))?`,
      captures: {
        1: { name: 'keyword.operator.flag.haproxy' },
        2: { name: 'support.constant.match-method.haproxy' },
      },
    },

    // %[fetch(args),converter(args),...]
    'sample-expr': {
      begin: r`%\[`,
      beginCaptures: { 0: { name: 'punctuation.section.embedded.begin.haproxy' } },
      end: r`\]`,
      endCaptures: { 0: { name: 'punctuation.section.embedded.end.haproxy' } },
      name: 'meta.embedded.sample-expression.haproxy',
      patterns: [
        { include: '#converter' },
        {
          begin: r`([A-Za-z_][\w.\-]*)(\()`,
          beginCaptures: {
            1: { name: 'support.function.fetch.haproxy' },
            2: { name: 'punctuation.section.arguments.begin.haproxy' },
          },
          end: r`\)`,
          endCaptures: { 0: { name: 'punctuation.section.arguments.end.haproxy' } },
          patterns: [{ include: '#call-args' }],
        },
        { match: r`[A-Za-z_][\w.\-]*`, name: 'support.function.fetch.haproxy' },
      ],
    },
    converter: {
      patterns: [
        {
          begin: r`(,)\s*([A-Za-z_][\w.\-]*)(\()`,
          beginCaptures: {
            1: { name: 'punctuation.separator.converter.haproxy' },
            2: { name: 'support.function.converter.haproxy' },
            3: { name: 'punctuation.section.arguments.begin.haproxy' },
          },
          end: r`\)`,
          endCaptures: { 0: { name: 'punctuation.section.arguments.end.haproxy' } },
          patterns: [{ include: '#call-args' }],
        },
        {
          match: r`(,)\s*([A-Za-z_][\w.\-]*)`,
          captures: {
            1: { name: 'punctuation.separator.converter.haproxy' },
            2: { name: 'support.function.converter.haproxy' },
          },
        },
      ],
    },
    'call-args': {
      patterns: [
        { include: '#string' },
        { include: '#sample-expr' },
        { match: ',', name: 'punctuation.separator.arguments.haproxy' },
        { match: r`\d+(?![\w.\-])`, name: 'constant.numeric.haproxy' },
        { match: r`[^\s,()"']+`, name: 'variable.parameter.haproxy' },
      ],
    },

    string: {
      patterns: [
        {
          begin: '"',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.haproxy' } },
          end: '"',
          endCaptures: { 0: { name: 'punctuation.definition.string.end.haproxy' } },
          name: 'string.quoted.double.haproxy',
          patterns: [
            { include: '#escape' },
            { include: '#env-variable' },
            { include: '#sample-expr' },
            { include: '#log-variable' },
          ],
        },
        {
          begin: "'",
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.haproxy' } },
          end: "'",
          endCaptures: { 0: { name: 'punctuation.definition.string.end.haproxy' } },
          name: 'string.quoted.single.haproxy',
          // Strong quoting stops environment variables, but a log-format argument is still
          // interpreted after the quotes are removed, so %[...] and %xx stay visible.
          patterns: [{ include: '#sample-expr' }, { include: '#log-variable' }],
        },
      ],
    },
    escape: {
      match: r`\\(?:x[0-9A-Fa-f]{2}|.)`,
      name: 'constant.character.escape.haproxy',
    },
    'env-variable': {
      patterns: [
        {
          match: r`(\$\{)(\.?[A-Za-z_][A-Za-z0-9_]*)(\[\*\])?(?:(-)([^}]*))?(\})`,
          name: 'variable.other.environment.haproxy',
          captures: {
            1: { name: 'punctuation.definition.variable.begin.haproxy' },
            3: { name: 'keyword.operator.expansion.haproxy' },
            4: { name: 'keyword.operator.default.haproxy' },
            5: { name: 'string.unquoted.default.haproxy' },
            6: { name: 'punctuation.definition.variable.end.haproxy' },
          },
        },
        {
          match: r`(\$)(\.?[A-Za-z_][A-Za-z0-9_]*)`,
          name: 'variable.other.environment.haproxy',
          captures: { 1: { name: 'punctuation.definition.variable.haproxy' } },
        },
      ],
    },

    // addresses: [family@]ipv4|[ipv6]|ipv6|host|*[:port[-port]], unix@/path, comma-separated
    address: {
      patterns: [
        {
          match: r`(?<![\w.\-])(ipv4|ipv6|unix|abns|abnsz|fd|sockpair|udp|udp4|udp6|quic4|quic6|tcp|tcp4|tcp6|uxst|uxdg|rhttp|mptcp|mptcp4|mptcp6)(@)`,
          captures: {
            1: { name: 'storage.modifier.address-family.haproxy' },
            2: { name: 'punctuation.separator.address-family.haproxy' },
          },
        },
        {
          match: r`(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(?:(/)(\d{1,2}))?(?![\w.])`,
          captures: {
            1: { name: 'constant.numeric.ip-address.v4.haproxy' },
            2: { name: 'punctuation.separator.cidr.haproxy' },
            3: { name: 'constant.numeric.cidr-prefix.haproxy' },
          },
        },
        {
          match: r`(?<![\w:.])((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?)(?:(/)(\d{1,3}))?(?=:\d|[\s,/#]|$)`,
          captures: {
            1: { name: 'constant.numeric.ip-address.v6.haproxy' },
            2: { name: 'punctuation.separator.cidr.haproxy' },
            3: { name: 'constant.numeric.cidr-prefix.haproxy' },
          },
        },
        {
          match: r`(\[)([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)(\])`,
          captures: {
            1: { name: 'punctuation.definition.ip-address.begin.haproxy' },
            2: { name: 'constant.numeric.ip-address.v6.haproxy' },
            3: { name: 'punctuation.definition.ip-address.end.haproxy' },
          },
        },
        { match: r`(?<![^\s,@])\*(?=:)`, name: 'constant.language.any-address.haproxy' },
        {
          match: r`(:)(\d{1,5})(?:(-)(\d{1,5}))?(?=[\s,#/]|$)`,
          captures: {
            1: { name: 'punctuation.separator.port.haproxy' },
            2: { name: 'constant.numeric.port.haproxy' },
            3: { name: 'punctuation.separator.range.haproxy' },
            4: { name: 'constant.numeric.port.haproxy' },
          },
        },
      ],
    },

    // 30s, 1h, 100ms, 10000, 16k, 1.5 (time units us ms s m h d; size units k m g)
    number: {
      match: r`(?<![\w.$/\-:%])(\d+(?:\.\d+)?)(us|ms|s|m|h|d|k|K|M|g|G)?(?![\w.])`,
      captures: {
        1: { name: 'constant.numeric.haproxy' },
        2: { name: 'constant.numeric.haproxy keyword.other.unit.haproxy' },
      },
    },
  },
};
