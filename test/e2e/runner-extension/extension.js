// Activation entry: when WSLB_E2E_RESULTS names a file, run the API suite once and write the
// results there (atomically: a temp file renamed into place, so the reader never sees half).
'use strict';
const fs = require('fs');

function writeJson(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
  fs.renameSync(tmp, file);
}

exports.activate = function activate() {
  const resultsPath = process.env.WSLB_E2E_RESULTS;
  if (!resultsPath) return;
  const started = Date.now();
  writeJson(resultsPath, { done: false, startedAt: new Date(started).toISOString() });
  // Run after activation returns so the extension host finishes starting the other extensions.
  setTimeout(() => {
    require('./suite/index.js')
      .runSuite({ mochaPath: process.env.WSLB_E2E_MOCHA })
      .then((results) => writeJson(resultsPath, { done: true, durationMs: Date.now() - started, ...results }))
      .catch((err) =>
        writeJson(resultsPath, {
          done: true,
          crashed: String((err && err.stack) || err),
          passed: 0,
          failed: 1,
          tests: [],
        }),
      );
  }, 0);
};

exports.deactivate = function deactivate() {};
