// Source of syntaxes/markdown-codeblock.tmLanguage.json: highlights ```nginx and ```haproxy
// fenced code blocks in Markdown with the wslb grammars (VS Code's Markdown grammar does not know
// these languages). Injected into text.html.markdown with priority over its own fence rule.

const fence = (id, langs, scope) => ({
  begin: `(^|\\G)(\\s*)(\`{3,}|~{3,})\\s*(?i:(${langs})((?:\\s+|[:,{?])[^\`]*)?$)`,
  beginCaptures: {
    3: { name: 'punctuation.definition.markdown' },
    4: { name: 'fenced_code.block.language.markdown' },
    5: { name: 'fenced_code.block.language.attributes.markdown' },
  },
  end: '(^|\\G)(\\2|\\s{0,3})(\\3)\\s*$',
  endCaptures: { 3: { name: 'punctuation.definition.markdown' } },
  name: 'markup.fenced_code.block.markdown',
  patterns: [
    {
      begin: '(^|\\G)(\\s*)(.*)',
      while: '(^|\\G)(?!\\s*([`~]{3,})\\s*$)',
      contentName: `meta.embedded.block.${id}`,
      patterns: [{ include: scope }],
    },
  ],
});

export default {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'wslb Markdown code blocks',
  scopeName: 'markdown.wslb.codeblock',
  injectionSelector: 'L:text.html.markdown',
  patterns: [{ include: '#nginx-block' }, { include: '#haproxy-block' }],
  repository: {
    'nginx-block': fence('nginx', 'nginx|nginxconf|nginx\\.conf', 'source.wslb.nginx'),
    'haproxy-block': fence('haproxy', 'haproxy|haproxy\\.cfg', 'source.wslb.haproxy'),
  },
};
