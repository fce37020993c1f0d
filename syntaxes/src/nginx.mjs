// Source of syntaxes/nginx.tmLanguage.json. Edit this file, then run
// `node syntaxes/src/build.mjs` (the grammar test fails when the JSON is stale).
//
// Tokenisation facts follow nginx's own reader, ngx_conf_read_token() in
// src/core/ngx_conf_file.c (nginx 1.22):
//   - a word ends at space, tab, CR, LF, ';' or '{' -- but not at '}' and not at a '{' that
//     directly follows '$' (so `${var}` stays inside the word);
//   - '#' starts a comment only where a new word could start;
//   - '"' / '\'' quote a word only when they open it; '\' escapes the next character.
// Location modifiers (=, ^~, ~, ~*, @name) follow ngx_http_core_location() in
// src/http/ngx_http_core_module.c, which also accepts a modifier glued to the path.

const r = String.raw;

// One unquoted word: its first character may not open a comment, a quote or a block.
const BARE = r`(?:\\.|\$\{|[^\s;{}"'\\#])(?:\\.|\$\{|[^\s;{\\])*`;
const DQ = r`"(?:[^"\\]|\\.)*"`;
const SQ = r`'(?:[^'\\]|\\.)*'`;
/** One argument word as nginx reads it (on one line). */
const WORD = `(?:${DQ}|${SQ}|${BARE})`;
/** Zero or more argument words, each preceded by blanks. */
const ARGS = `(?:\\s+${WORD})*`;
/** A directive name at the start of a statement. */
const NAME = r`[A-Za-z_][A-Za-z0-9_.\-]*`;
/** A directive name as written: bare or quoted (nginx reads quoted names too). */
const QNAME = `(?:${NAME}|"${NAME}"|'${NAME}')`;
/** Where a statement may start: line start or after a statement/block delimiter. */
const AT_STMT = r`(?:^|(?<=[;{}]))\s*`;

export default {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'nginx (wslb)',
  scopeName: 'source.wslb.nginx',
  fileTypes: ['nginx'],
  patterns: [{ include: '#statements' }, { include: '#stray-close' }],
  repository: {
    statements: {
      patterns: [
        { include: '#comment' },
        { include: '#lua-block' },
        { include: '#location-block' },
        { include: '#upstream-block' },
        { include: '#if-block' },
        { include: '#map-block' },
        { include: '#types-block' },
        { include: '#generic-block' },
        { include: '#bare-block' },
        { include: '#rewrite' },
        { include: '#include' },
        { include: '#set' },
        { include: '#header-directive' },
        { include: '#directive' },
        { match: ';', name: 'punctuation.terminator.nginx' },
      ],
    },

    comment: {
      // A '#' only starts a comment where a new word may start.
      match: r`(?:^|(?<=[\s;{}]))(#).*$`,
      name: 'comment.line.number-sign.nginx',
      captures: { 1: { name: 'punctuation.definition.comment.nginx' } },
    },

    'stray-close': {
      match: r`\}`,
      name: 'invalid.illegal.unmatched-brace.nginx',
    },

    'block-body': {
      patterns: [{ include: '#statements' }],
    },

    // location [=|~|~*|^~] uri { ... }   and   location @name { ... }
    'location-block': {
      begin: `${AT_STMT}\\b(location)\\s+(?:(@${BARE})|(=|\\^~)\\s*(${WORD})|(~\\*?)\\s*(?:(${DQ}|${SQ})|(${BARE}))|(${WORD}))?\\s*(?<!\\$)(\\{)`,
      beginCaptures: {
        1: { name: 'storage.type.block.location.nginx' },
        2: { name: 'entity.name.function.named-location.nginx' },
        3: { name: 'keyword.operator.location-modifier.nginx' },
        4: { patterns: [{ include: '#location-path' }] },
        5: { name: 'keyword.operator.location-modifier.regexp.nginx' },
        6: { name: 'string.regexp.quoted.nginx', patterns: [{ include: '#regex-inner' }] },
        7: { name: 'string.regexp.nginx', patterns: [{ include: '#regex-inner' }] },
        8: { patterns: [{ include: '#location-path' }] },
        9: { name: 'punctuation.section.block.begin.nginx' },
      },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.location.nginx',
      patterns: [{ include: '#block-body' }],
    },
    'location-path': {
      patterns: [
        { include: '#string' },
        {
          match: r`\S+`,
          name: 'string.unquoted.path.nginx',
          captures: { 0: { patterns: [{ include: '#variable' }, { include: '#escape' }] } },
        },
      ],
    },

    // upstream name { ... }
    'upstream-block': {
      begin: `${AT_STMT}\\b(upstream)\\s+(${WORD})\\s*(?<!\\$)(\\{)`,
      beginCaptures: {
        1: { name: 'storage.type.block.upstream.nginx' },
        2: { name: 'entity.name.type.upstream.nginx' },
        3: { name: 'punctuation.section.block.begin.nginx' },
      },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.upstream.nginx',
      patterns: [{ include: '#block-body' }],
    },

    // if (condition) { ... }
    'if-block': {
      begin: r`${AT_STMT}\b(if)\s*(\()(.*)(\))\s*(\{)`,
      beginCaptures: {
        1: { name: 'keyword.control.conditional.if.nginx' },
        2: { name: 'meta.condition.nginx punctuation.section.parens.begin.nginx' },
        3: { name: 'meta.condition.nginx', patterns: [{ include: '#if-condition' }] },
        4: { name: 'meta.condition.nginx punctuation.section.parens.end.nginx' },
        5: { name: 'punctuation.section.block.begin.nginx' },
      },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.if.nginx',
      patterns: [{ include: '#block-body' }],
    },
    'if-condition': {
      patterns: [
        {
          // $var ~ regex   /   $var !~* "regex"
          match: `(!?~\\*?)\\s*(?:(${DQ}|${SQ})|((?:\\\\.|[^\\s\\\\])+?))(?=\\s*$)`,
          captures: {
            1: { name: 'keyword.operator.regexp.nginx' },
            2: { name: 'string.regexp.quoted.nginx', patterns: [{ include: '#regex-inner' }] },
            3: { name: 'string.regexp.nginx', patterns: [{ include: '#regex-inner' }] },
          },
        },
        { match: r`!?-[fdex](?=\s)`, name: 'keyword.operator.file-test.nginx' },
        { match: r`!?=`, name: 'keyword.operator.comparison.nginx' },
        { include: '#string' },
        { include: '#variable' },
      ],
    },

    // map / geo / split_clients / charset_map: the body is a table, not directives.
    'map-block': {
      begin: `${AT_STMT}\\b(map|geo|split_clients|charset_map|match)((?:\\s+${WORD})*)\\s*(?<!\\$)(\\{)`,
      beginCaptures: {
        1: { name: 'storage.type.block.$1.nginx' },
        2: { patterns: [{ include: '#args' }] },
        3: { name: 'punctuation.section.block.begin.nginx' },
      },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.$1.nginx',
      patterns: [{ include: '#comment' }, { include: '#map-entry' }],
    },
    'map-entry': {
      begin: `(?:(default|hostnames|volatile|include|ranges|proxy|proxy_recursive|delete)\\b|(~\\*?)(${WORD})|(${WORD}))`,
      beginCaptures: {
        1: { name: 'keyword.other.map-parameter.nginx' },
        2: { name: 'keyword.operator.regexp.nginx' },
        3: { name: 'string.regexp.nginx', patterns: [{ include: '#regex-inner' }] },
        4: {
          name: 'entity.other.attribute-name.map-key.nginx',
          patterns: [{ include: '#string' }, { include: '#variable' }],
        },
      },
      end: r`(;)|(?=\})`,
      endCaptures: { 1: { name: 'punctuation.terminator.nginx' } },
      name: 'meta.map-entry.nginx',
      patterns: [{ include: '#args' }],
    },

    // types { mime/type ext ext; }
    'types-block': {
      begin: `${AT_STMT}\\b(types)\\s*(?<!\\$)(\\{)`,
      beginCaptures: {
        1: { name: 'storage.type.block.types.nginx' },
        2: { name: 'punctuation.section.block.begin.nginx' },
      },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.types.nginx',
      patterns: [
        { include: '#comment' },
        {
          begin: r`([A-Za-z0-9.+\-]+/[A-Za-z0-9.+\-*]+)`,
          beginCaptures: { 1: { name: 'support.type.mime-type.nginx' } },
          end: r`(;)|(?=\})`,
          endCaptures: { 1: { name: 'punctuation.terminator.nginx' } },
          patterns: [{ include: '#comment' }, { match: r`[^\s;}#]+`, name: 'string.unquoted.extension.nginx' }],
        },
      ],
    },

    // *_by_lua_block [args] { lua code }
    'lua-block': {
      begin: `${AT_STMT}([A-Za-z0-9_]*_by_lua_block\\b|"[A-Za-z0-9_]*_by_lua_block"|'[A-Za-z0-9_]*_by_lua_block')(${ARGS})\\s*(?<!\\$)(\\{)`,
      beginCaptures: {
        1: { name: 'storage.type.block.lua.nginx' },
        2: { patterns: [{ include: '#args' }] },
        3: { name: 'punctuation.section.block.begin.nginx' },
      },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.lua.nginx',
      contentName: 'meta.embedded.block.lua',
      patterns: [{ include: '#lua' }],
    },
    lua: {
      // The nested-brace rule comes first so that table constructors never end the block early,
      // whether or not a Lua grammar (source.lua) is installed; strings and comments start
      // earlier than any brace inside them, so they win over it.
      patterns: [{ include: '#lua-braces' }, { include: 'source.lua' }, { include: '#lua-fallback' }],
    },
    'lua-braces': {
      begin: r`\{`,
      beginCaptures: { 0: { name: 'punctuation.section.table.begin.lua' } },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.table.end.lua' } },
      patterns: [{ include: '#lua' }],
    },
    'lua-fallback': {
      patterns: [
        {
          begin: r`--\[(=*)\[`,
          end: r`\]\1\]`,
          name: 'comment.block.lua',
          beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.lua' } },
          endCaptures: { 0: { name: 'punctuation.definition.comment.end.lua' } },
        },
        {
          match: r`(--).*$`,
          name: 'comment.line.double-dash.lua',
          captures: { 1: { name: 'punctuation.definition.comment.lua' } },
        },
        {
          begin: r`\[(=*)\[`,
          end: r`\]\1\]`,
          name: 'string.quoted.other.multiline.lua',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.lua' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.lua' } },
        },
        {
          begin: '"',
          end: r`"|$`,
          name: 'string.quoted.double.lua',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.lua' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.lua' } },
          patterns: [{ match: r`\\.`, name: 'constant.character.escape.lua' }],
        },
        {
          begin: "'",
          end: r`'|$`,
          name: 'string.quoted.single.lua',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.lua' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.lua' } },
          patterns: [{ match: r`\\.`, name: 'constant.character.escape.lua' }],
        },
        {
          match: r`\b(and|break|do|else|elseif|end|for|function|goto|if|in|local|not|or|repeat|return|then|until|while)\b`,
          name: 'keyword.control.lua',
        },
        { match: r`\b(nil|true|false)\b`, name: 'constant.language.lua' },
        { match: r`\bngx\b`, name: 'support.class.ngx.lua' },
        { match: r`(?<![\w.])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b|\b0[xX][0-9A-Fa-f]+\b`, name: 'constant.numeric.lua' },
      ],
    },

    // name args { ... }  (http, server, events, stream, limit_except, ...)
    'generic-block': {
      begin: `${AT_STMT}(${QNAME})(${ARGS})\\s*(?<!\\$)(\\{)`,
      beginCaptures: {
        1: { name: 'storage.type.block.nginx' },
        2: { patterns: [{ include: '#args' }] },
        3: { name: 'punctuation.section.block.begin.nginx' },
      },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.nginx',
      patterns: [{ include: '#block-body' }],
    },
    // A '{' whose header was split over several lines.
    'bare-block': {
      begin: r`(?<!\$)\{`,
      beginCaptures: { 0: { name: 'punctuation.section.block.begin.nginx' } },
      end: r`\}`,
      endCaptures: { 0: { name: 'punctuation.section.block.end.nginx' } },
      name: 'meta.block.nginx',
      patterns: [{ include: '#block-body' }],
    },

    // rewrite regex replacement [flag];
    rewrite: {
      begin: `${AT_STMT}\\b(rewrite)\\s+(?:"((?:[^"\\\\]|\\\\.)*)"|'((?:[^'\\\\]|\\\\.)*)'|(${BARE}))`,
      beginCaptures: {
        1: { name: 'keyword.other.directive.rewrite.nginx' },
        2: { name: 'string.regexp.nginx', patterns: [{ include: '#regex-inner' }] },
        3: { name: 'string.regexp.nginx', patterns: [{ include: '#regex-inner' }] },
        4: { name: 'string.regexp.nginx', patterns: [{ include: '#regex-inner' }] },
      },
      end: r`(;)|(?=[{}])`,
      endCaptures: { 1: { name: 'punctuation.terminator.nginx' } },
      name: 'meta.directive.rewrite.nginx',
      patterns: [
        { match: r`(?<=\s)(last|break|redirect|permanent)(?=\s*;)`, name: 'keyword.control.flag.nginx' },
        { include: '#args' },
      ],
    },

    include: {
      begin: `${AT_STMT}\\b(include)\\b`,
      beginCaptures: { 1: { name: 'keyword.control.import.include.nginx' } },
      end: r`(;)|(?=[{}])`,
      endCaptures: { 1: { name: 'punctuation.terminator.nginx' } },
      name: 'meta.directive.include.nginx',
      patterns: [
        { include: '#comment' },
        { include: '#string' },
        {
          match: r`[^\s;{}"']+`,
          name: 'string.unquoted.path.nginx',
          captures: { 0: { patterns: [{ include: '#variable' }] } },
        },
      ],
    },

    // set $name value;
    set: {
      begin: r`${AT_STMT}\b(set)\s+(\$)([A-Za-z0-9_]+)`,
      beginCaptures: {
        1: { name: 'keyword.other.directive.nginx' },
        2: { name: 'variable.other.definition.nginx punctuation.definition.variable.nginx' },
        3: { name: 'variable.other.definition.nginx' },
      },
      end: r`(;)|(?=[{}])`,
      endCaptures: { 1: { name: 'punctuation.terminator.nginx' } },
      name: 'meta.directive.set.nginx',
      patterns: [{ include: '#args' }],
    },

    // proxy_set_header Name value;  add_header Name value [always];
    'header-directive': {
      begin: `${AT_STMT}\\b((?:proxy|grpc|fastcgi|uwsgi|scgi)_(?:set|hide|pass)_header|proxy_ignore_headers|add_header|add_trailer|more_set_headers|more_clear_headers|more_set_input_headers|more_clear_input_headers)\\s+(?:(${DQ}|${SQ})|([A-Za-z0-9_\\-]+)(?=[\\s;]))?`,
      beginCaptures: {
        1: { name: 'keyword.other.directive.nginx' },
        2: { patterns: [{ include: '#string' }] },
        3: { name: 'support.type.property-name.header.nginx' },
      },
      end: r`(;)|(?=[{}])`,
      endCaptures: { 1: { name: 'punctuation.terminator.nginx' } },
      name: 'meta.directive.nginx',
      patterns: [{ match: r`(?<=\s)always(?=\s*;)`, name: 'constant.language.always.nginx' }, { include: '#args' }],
    },

    // any other simple directive: name args ;
    directive: {
      begin: `${AT_STMT}(${QNAME})`,
      beginCaptures: { 1: { name: 'keyword.other.directive.nginx' } },
      end: r`(;)|(?=[{}])`,
      endCaptures: { 1: { name: 'punctuation.terminator.nginx' } },
      name: 'meta.directive.nginx',
      patterns: [{ include: '#args' }],
    },

    args: {
      patterns: [
        { include: '#comment' },
        { include: '#string' },
        { include: '#regex-word' },
        { include: '#url' },
        { include: '#parameter' },
        { include: '#variable' },
        { include: '#ipv6' },
        { include: '#ipv4' },
        { include: '#port' },
        { include: '#number' },
        { include: '#constant' },
        { include: '#escape' },
      ],
    },

    string: {
      patterns: [
        {
          begin: '"',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.nginx' } },
          end: '"',
          endCaptures: { 0: { name: 'punctuation.definition.string.end.nginx' } },
          name: 'string.quoted.double.nginx',
          patterns: [{ include: '#escape' }, { include: '#variable' }],
        },
        {
          begin: "'",
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.nginx' } },
          end: "'",
          endCaptures: { 0: { name: 'punctuation.definition.string.end.nginx' } },
          name: 'string.quoted.single.nginx',
          patterns: [{ include: '#escape' }, { include: '#variable' }],
        },
      ],
    },

    escape: { match: r`\\.`, name: 'constant.character.escape.nginx' },

    variable: {
      patterns: [
        {
          match: r`(\$\{)([A-Za-z0-9_]+)(\})`,
          name: 'variable.other.nginx',
          captures: {
            1: { name: 'punctuation.definition.variable.begin.nginx' },
            3: { name: 'punctuation.definition.variable.end.nginx' },
          },
        },
        {
          match: r`(\$)([A-Za-z0-9_]+)`,
          name: 'variable.other.nginx',
          captures: { 1: { name: 'punctuation.definition.variable.nginx' } },
        },
      ],
    },

    // An argument word that is a regex because it starts with ~ (server_name ~^..., map keys).
    'regex-word': {
      match: `(?<![^\\s])(~\\*?)(${BARE})`,
      captures: {
        1: { name: 'keyword.operator.regexp.nginx' },
        2: { name: 'string.regexp.nginx', patterns: [{ include: '#regex-inner' }] },
      },
    },
    'regex-inner': {
      patterns: [
        { match: r`\\.`, name: 'constant.character.escape.regexp.nginx' },
        {
          match: r`\((?:\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|<[=!]|[:=!>|]|[imsx-]+:?))?|\)`,
          name: 'punctuation.definition.group.regexp.nginx',
        },
        { match: r`\[\^?(?:\\.|[^\]\\])*\]`, name: 'constant.other.character-class.regexp.nginx' },
        { match: r`[*+?]\??|\{\d+(?:,\d*)?\}`, name: 'keyword.operator.quantifier.regexp.nginx' },
        { match: r`\|`, name: 'keyword.operator.or.regexp.nginx' },
        { match: r`(?:(?<=[\s~*"'])|^)\^|\$(?=["']?$)`, name: 'keyword.control.anchor.regexp.nginx' },
        { include: '#variable' },
      ],
    },

    url: {
      begin: r`(?<![^\s"'])((?:https?|grpcs?|wss?|memcached|fastcgi|uwsgi|suwsgi|scgi)://)`,
      beginCaptures: { 1: { name: 'keyword.other.scheme.nginx' } },
      end: r`(?=[\s;{}"']|$)`,
      name: 'string.unquoted.url.nginx',
      patterns: [
        { include: '#variable' },
        { include: '#ipv6' },
        { include: '#ipv4' },
        { include: '#port' },
        { include: '#escape' },
      ],
    },

    // name=value parameters: weight=5, max_fails=3, keys_zone=one:10m, ...
    parameter: {
      match: r`(?<![^\s])([A-Za-z_][A-Za-z0-9_\-]*)(=)`,
      captures: {
        1: { name: 'variable.parameter.nginx' },
        2: { name: 'keyword.operator.assignment.nginx' },
      },
    },

    ipv4: {
      match: r`(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?:(/)(\d{1,2}))?(?![\w.])`,
      captures: {
        1: { name: 'constant.numeric.ip-address.v4.nginx' },
        2: { name: 'punctuation.separator.cidr.nginx' },
        3: { name: 'constant.numeric.cidr-prefix.nginx' },
      },
    },
    ipv6: {
      patterns: [
        {
          match: r`(\[)([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)(\])`,
          captures: {
            1: { name: 'punctuation.definition.ip-address.begin.nginx' },
            2: { name: 'constant.numeric.ip-address.v6.nginx' },
            3: { name: 'punctuation.definition.ip-address.end.nginx' },
          },
        },
        {
          match: r`(?<![\w:.$])((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?)(?:(/)(\d{1,3}))?(?![\w:.])`,
          captures: {
            1: { name: 'constant.numeric.ip-address.v6.nginx' },
            2: { name: 'punctuation.separator.cidr.nginx' },
            3: { name: 'constant.numeric.cidr-prefix.nginx' },
          },
        },
      ],
    },
    port: {
      match: r`(:)(\d{1,5})(?=[\s;/{}"']|$)`,
      captures: {
        1: { name: 'punctuation.separator.port.nginx' },
        2: { name: 'constant.numeric.port.nginx' },
      },
    },

    // 30s, 1h, 10m, 512k, 1.1, 1h30m (time units ms s m h d w M y; size units k K m M g G)
    number: {
      patterns: [
        {
          match: r`(?<![\w.$/\-])((?:\d+(?:ms|s|m|h|d|w|M|y)){2,})(?![\w.])`,
          name: 'constant.numeric.time.nginx',
        },
        {
          match: r`(?<![\w.$/\-])(\d+(?:\.\d+)?)(ms|s|m|h|d|w|M|y|k|K|g|G)?(?![\w.])`,
          captures: {
            1: { name: 'constant.numeric.nginx' },
            2: { name: 'constant.numeric.nginx keyword.other.unit.nginx' },
          },
        },
      ],
    },

    constant: {
      patterns: [
        { match: r`(?<![^\s])(on|off)(?=[\s;]|$)`, name: 'constant.language.boolean.nginx' },
        {
          match: r`(?<![^\s])(default_server|default|ssl|http2|quic|proxy_protocol|reuseport|deferred|backup|down|any|all|none|always)(?=[\s;]|$)`,
          name: 'constant.language.nginx',
        },
      ],
    },
  },
};
