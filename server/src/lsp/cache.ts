/**
 * The language server's derived values, in one place. Each is keyed by the object it is derived
 * from (a document, a finding, an analysis), so it lives exactly as long as that object.
 */
import type { Diagnostic, WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigLanguage, Finding } from '../service/types';

export class LspCache {
  /** A document's language when its content decides it once (not for AWS candidates, see ServerState). */
  private readonly languages = new WeakMap<TextDocument, ConfigLanguage | undefined>();
  /** The LSP form of a finding, made once per finding object (an edit keeps most findings). */
  private readonly diagnostics = new WeakMap<Finding, Diagnostic>();
  /**
   * The fix-all edit of each analysis, made once: a client without codeAction/resolve gets it with
   * every light-bulb request (on each cursor move), and on a large file it takes several analyses.
   * A new analysis (any edit of the file or its includes) is a new key.
   */
  private readonly fixAlls = new WeakMap<object, { path: string; edit: WorkspaceEdit | null }>();

  language(doc: TextDocument, compute: () => ConfigLanguage | undefined): ConfigLanguage | undefined {
    if (!this.languages.has(doc)) this.languages.set(doc, compute());
    return this.languages.get(doc);
  }

  diagnostic(f: Finding, compute: () => Diagnostic): Diagnostic {
    let d = this.diagnostics.get(f);
    if (!d) this.diagnostics.set(f, (d = compute()));
    return d;
  }

  /** `analysis`: the one behind `path` (none: computed every time). */
  fixAll(analysis: object | undefined, path: string, compute: () => WorkspaceEdit | null): WorkspaceEdit | null {
    const hit = analysis ? this.fixAlls.get(analysis) : undefined;
    if (hit && hit.path === path) return hit.edit;
    const edit = compute();
    if (analysis) this.fixAlls.set(analysis, { path, edit });
    return edit;
  }
}
