// Under tsx (the tests, scripts/rule-docs.ts), `require('./x.md')` gives the file's text, as
// esbuild's text loader does in the bundles (scripts/build.mjs). The rules' long explanations
// are such files (server/src/service/rules/long-docs.ts). Loaded by .mocharc.json.
'use strict';
const fs = require('node:fs');

require.extensions['.md'] ??= (module, filename) => {
  module.exports = fs.readFileSync(filename, 'utf8');
};
