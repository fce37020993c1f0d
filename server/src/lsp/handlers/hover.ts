/** Hover: what a directive, a pool or a finding under the cursor means. */
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { docLineIndex, featuresOf } from '../../service/api';
import { MAX_ANALYZED_CHARS } from '../protocol';
import type { ServerState } from '../state';

export function registerHover(s: ServerState): void {
  s.connection.onHover(
    s.guard('hover', null, (p: HoverParams): Hover | null => {
      const d = s.featureDoc(p.textDocument.uri);
      if (!d || d.text.length > MAX_ANALYZED_CHARS) return null;
      const idx = docLineIndex(d);
      const findings = s.project.findingsFor(d.path);
      const r = featuresOf(d.language).hover(d, idx.offsetAt(p.position), findings, p.textDocument.uri);
      return r && { contents: { kind: 'markdown', value: r.markdown }, range: idx.rangeOf(r.span) };
    }),
  );
}
