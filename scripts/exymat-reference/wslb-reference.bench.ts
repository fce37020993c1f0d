// wslb's reference benchmark, run INSIDE a checkout of Exymat/haproxy-vscode (copied to
// test/bench/ there by run.sh; not part of wslb's build). It times that extension's diagnostics
// on its own 24,000-line stress file, the file wslb's `npm run bench` uses:
// - "full pass": a from-scratch computeDiagnostics() (parse included) with the extension's caches
//   cleared first. Its own "diagnostics cold" bench reuses a parse and diagnostics cached under
//   the same URI and text after the first iteration, so it does not time a full pass.
// - "edit": the extension's own incremental bench (createDiagnosticsEditRunner: one line of the
//   global section changed back and forth, parse cache updated, whole-file checks run again).
import { bench, describe } from 'vitest';
import { loadSchemaBundle } from '../helpers/schema';
import { createDocument } from '../helpers/document';
import { createDiagnosticsEditRunner, runDiagnostics } from './diagnosticsHelpers';
import { findLineContaining, readFixture } from './helpers';
import { clearParseCache } from '../../src/parser/parseCache';
import { clearDiagnosticsCache } from '../../src/diagnostics';
import { clearDocumentAnalysisCache } from '../../src/parser/documentAnalysis';
import { clearSymbolIndexCaches } from '../../src/symbolIndex/cache';

const bundle = loadSchemaBundle('3.4');
const content = readFixture('large-valid.cfg', 'bench');

describe('wslb reference', () => {
  bench(
    'full pass: large-valid.cfg (caches cleared)',
    () => {
      clearParseCache();
      clearDiagnosticsCache();
      clearDocumentAnalysisCache();
      clearSymbolIndexCaches();
      runDiagnostics(createDocument(content), bundle);
    },
    { iterations: 15, warmupIterations: 3 },
  );

  const editLine = findLineContaining(content, 'maxconn 200000');
  const runner = createDiagnosticsEditRunner(content, bundle, editLine);
  let next = '    maxconn 8192';
  bench(
    'edit: large-valid.cfg (global maxconn change)',
    () => {
      runner.run(next);
      next = next === '    maxconn 8192' ? runner.originalLineText : '    maxconn 8192';
    },
    { iterations: 31, warmupIterations: 5 },
  );
});
