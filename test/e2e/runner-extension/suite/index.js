// Runs the API-level suite with mocha inside the extension host.
//   runSuite({ mochaPath }) -> { passed, failed, pending, tests: [{ title, state, durationMs, error }] }
//   run()                   -> the entry point @vscode/test-electron calls; rejects on failures.
// mocha is not packaged into the runner .vsix: in code-server the harness passes the repo's copy
// (WSLB_E2E_MOCHA); under @vscode/test-electron the suite is loaded from the repo, so plain
// require('mocha') finds it.
'use strict';
const fs = require('fs');
const path = require('path');

function loadMocha(mochaPath) {
  return mochaPath ? require(mochaPath) : require('mocha');
}

function runSuite(options = {}) {
  const Mocha = loadMocha(options.mochaPath);
  const tests = [];
  function Collector(runner) {
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err) =>
      tests.push({
        title: t.fullTitle(),
        state: 'failed',
        durationMs: t.duration,
        error: String((err && err.stack) || err),
      }),
    );
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: options.timeout || 60000, reporter: Collector, color: false });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        const count = (s) => tests.filter((t) => t.state === s).length;
        resolve({
          passed: count('passed'),
          failed: Math.max(failures, count('failed')),
          pending: count('pending'),
          tests,
        });
      });
    } catch (err) {
      reject(err);
    }
  });
}

async function run() {
  const results = await runSuite({ mochaPath: process.env.WSLB_E2E_MOCHA });
  for (const t of results.tests)
    console.log(
      `${t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip'} ${t.title}${t.error ? `\n${t.error}` : ''}`,
    );
  console.log(`${results.passed} passing, ${results.failed} failing, ${results.pending} pending`);
  if (process.env.WSLB_E2E_RESULTS) {
    fs.mkdirSync(path.dirname(process.env.WSLB_E2E_RESULTS), { recursive: true });
    fs.writeFileSync(process.env.WSLB_E2E_RESULTS, JSON.stringify({ done: true, ...results }, null, 2));
  }
  if (results.failed > 0 || results.passed === 0) throw new Error(`${results.failed} API test(s) failed`);
}

module.exports = { runSuite, run };
