/** The custom requests that are not about pools: wslb/explain, wslb/version, and the test seams. */
import { featuresOf } from '../../service/api';
import { rulePageMarkdown } from '../../service/docs/explain';
import { fixBuildCount } from '../../service';
import { ExplainRequest, VersionRequest } from '../protocol';
import type { ServerState } from '../state';

export function registerRequests(s: ServerState): void {
  const { connection } = s;
  connection.onRequest(
    ExplainRequest,
    s.guard('wslb/explain', null, (p) => {
      const markdown = rulePageMarkdown(p.id);
      return markdown ? { markdown } : null;
    }),
  );
  connection.onRequest(
    VersionRequest,
    s.guard('wslb/version', null, (p) => {
      const d = s.featureDoc(p.uri);
      return d ? featuresOf(d.language).version(d) : null;
    }),
  );

  // For test/lsp/lazy-fixes.test.ts: how many times the process built a finding's fixes (issue 23:
  // diagnostics build none; a code action builds those of the findings it is asked about).
  connection.onRequest('wslb/debug/fixBuilds', () => fixBuildCount());

  // For the soak test (test/lsp/soak.test.ts): the heap after a full collection, only when the
  // server runs with --expose-gc (never in an editor).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc)
    connection.onRequest('wslb/debug/heapUsed', () => {
      gc();
      return process.memoryUsage().heapUsed;
    });
}
