/**
 * Code actions: the fixes of the findings under the cursor, "Disable …" comments, the rule's page,
 * and "Fix all safe" (as an action to resolve, a command, or an edit, as the client allows).
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type ExecuteCommandParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { featuresOf, type FeatureDoc } from '../../service/api';
import {
  DEFAULT_REASON,
  disableFileEdit,
  disableNextLineEdit,
  fixAllConverging,
  minimalEdit,
} from '../../service/features/actions';
import { commentSyntaxOf } from '../../service/suppress';
import { knownCode } from '../../service/codes';
import { ruleById } from '../../service/rules';
import type { Finding, Fix } from '../../service/types';
import { rangesTouch, toDiagnostic } from '../convert';
import { EXPLAIN_COMMAND, FIX_ALL_KIND, MAX_ANALYZED_CHARS } from '../protocol';
import type { ServerState } from '../state';
import { afterAnalysis } from './diagnostics';

const FIX_ALL_TITLE = 'Fix all safe wslb problems in this file';
/** The server's own command behind "Fix all safe" for clients that cannot resolve code actions. */
export const FIX_ALL_COMMAND = 'wslb.server.fixAllSafe';
const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, information: 2, hint: 3 };
const hasSafeFix = (fixes: readonly Fix[]) => fixes.some((x) => x.kind === 'safe');

export function registerActions(s: ServerState): void {
  const { connection } = s;
  connection.onCodeAction(s.guard('codeAction', [], (p) => codeActions(s, p)));
  connection.onExecuteCommand(
    s.guard('executeCommand', null, (p: ExecuteCommandParams): Promise<null> | null => {
      const uri: unknown = p.arguments?.[0];
      if (p.command !== FIX_ALL_COMMAND || typeof uri !== 'string') return null;
      const path = s.project.paths.toPath(uri);
      s.fresh(path);
      const edit = fixAllEdit(s, path);
      if (!edit) return null;
      // answered once the client has applied it (or refused it)
      return connection.workspace.applyEdit({ label: FIX_ALL_TITLE, edit }).then(
        () => null,
        () => null,
      );
    }),
  );
  connection.onCodeActionResolve(
    s.guard('codeActionResolve', null as unknown as CodeAction, (action: CodeAction) => {
      const data = action.data as { uri?: string; fixAll?: boolean } | undefined;
      if (data?.fixAll && data.uri) {
        const path = s.project.paths.toPath(data.uri);
        s.fresh(path);
        action.edit = fixAllEdit(s, path) ?? { changes: {} };
      }
      return action;
    }),
  );
}

function workspaceEdit(s: ServerState, byPath: Map<string, TextEdit[]>): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const [path, edits] of byPath) changes[s.uriOf(path)] = edits;
  return { changes };
}

function fixAllEdit(s: ServerState, path: string): WorkspaceEdit | null {
  return s.cache.fixAll(s.project.analysisFor(path), path, () => computeFixAllEdit(s, path));
}

function computeFixAllEdit(s: ServerState, path: string): WorkspaceEdit | null {
  const { project } = s;
  const res = fixAllConverging(
    path,
    (p) => project.fs.readFile(p),
    (overrides) => project.analyzeWith(path, overrides),
    8,
  );
  if (res.changed.size === 0) return null;
  const byPath = new Map<string, TextEdit[]>();
  for (const [p, after] of res.changed) {
    const before = project.fs.readFile(p);
    if (before === undefined) continue;
    byPath.set(p, [minimalEdit(before, after)]);
  }
  return workspaceEdit(s, byPath);
}

/**
 * A "Disable …" edit: where the client takes snippet edits, the comment's reason is a placeholder
 * the user types over at once (the edit is applied with "reason" selected); elsewhere the plain
 * text, `-- reason`, for the user to replace.
 */
function disableEdit(s: ServerState, uri: string, path: string, e: TextEdit): WorkspaceEdit {
  const suffix = `-- ${DEFAULT_REASON}`;
  const at = e.newText.lastIndexOf(suffix);
  if (!s.client.snippetEdits || at < 0) return workspaceEdit(s, new Map([[path, [e]]]));
  const escape = (t: string) => t.replace(/[\\$}]/g, (c) => `\\${c}`);
  const value = `${escape(e.newText.slice(0, at))}-- \${1:${DEFAULT_REASON}}${escape(e.newText.slice(at + suffix.length))}`;
  const version = s.documents.get(uri)?.version ?? null;
  return {
    documentChanges: [
      {
        textDocument: { uri, version },
        edits: [{ range: e.range, snippet: { kind: 'snippet', value } } as unknown as TextEdit],
      },
    ],
  };
}

/**
 * The fix VS Code marks preferred (applied by "Auto Fix"): the preferred fix of the most severe
 * finding under the cursor, a safe one before a suggestion at the same severity. Only one.
 */
function preferredFix(findings: Finding[], fixesOf: (f: Finding) => readonly Fix[]): Fix | undefined {
  let best: { fix: Fix; rank: number } | undefined;
  for (const f of findings) {
    const fix = fixesOf(f).find((x) => x.isPreferred);
    if (!fix) continue;
    const rank = SEVERITY_RANK[f.severity] * 2 + (fix.kind === 'safe' ? 0 : 1);
    if (!best || rank < best.rank) best = { fix, rank };
  }
  return best?.fix;
}

/** "Disable <code> for this line / file" for one finding, each with the key that makes it unique. */
function disableActions(
  s: ServerState,
  f: Finding,
  diagnostic: Diagnostic,
  d: FeatureDoc,
  uri: string,
): [string, CodeAction][] {
  if (f.code.endsWith('/syntax') || f.code.startsWith('wslb/') || !knownCode(f.code)) return [];
  if (!featuresOf(d.language).canSuppress(d.text)) return [];
  const line = disableNextLineEdit(d.text, f.range.start.line, f.code, undefined, commentSyntaxOf(d.path));
  const file = disableFileEdit(d.text, f.code, undefined, commentSyntaxOf(d.path));
  const action = (title: string, e: TextEdit): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: disableEdit(s, uri, d.path, e),
  });
  return [
    [`line ${f.code} ${JSON.stringify(line)}`, action(`Disable ${f.code} for this line`, line)],
    [`file ${f.code}`, action(`Disable ${f.code} for this file`, file)],
  ];
}

/** The rule's page, once per rule among the findings (for clients that open wslb-rule: pages). */
function docActions(s: ServerState, here: readonly Finding[]): CodeAction[] {
  const docs = new Map<string, Diagnostic[]>();
  for (const f of here) {
    if (!knownCode(f.code)) continue;
    docs.set(f.code, [...(docs.get(f.code) ?? []), toDiagnostic(f, s.project.paths, s.ruleLinks)]);
  }
  return [...docs].map(([code, diags]) => ({
    title: `Show documentation for ${code}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: diags,
    command: { title: `Show documentation for ${code}`, command: EXPLAIN_COMMAND, arguments: [code] },
  }));
}

/**
 * The actions of one request: what the findings of the document can do, each fix built once
 * (on demand: a finding's fixes are built only when an action needs them, issue 23).
 */
class ActionRequest {
  private readonly built = new Map<Finding, readonly Fix[]>();
  private safe: boolean | undefined;
  readonly findings: Finding[];

  constructor(
    private readonly s: ServerState,
    readonly d: FeatureDoc,
    readonly uri: string,
  ) {
    this.findings = s.project.findingsFor(d.path);
  }

  fixesOf(f: Finding): readonly Fix[] {
    let fixes = this.built.get(f);
    if (!fixes) {
      fixes = this.s.project.fixesFor(this.d.path, [f]).get(f) ?? [];
      this.built.set(f, fixes);
    }
    return fixes;
  }

  /** Build the fixes of several findings at once (one analysis for all). */
  buildAll(findings: readonly Finding[]): void {
    for (const [f, fixes] of this.s.project.fixesFor(this.d.path, findings)) this.built.set(f, fixes);
  }

  /**
   * Does any finding of the file have a safe fix? Those under the cursor are asked first (their
   * fixes are built anyway); the others, only while none is found, and only rules' findings.
   */
  anySafe(first: readonly Finding[]): boolean {
    return (this.safe ??=
      first.some((f) => hasSafeFix(this.fixesOf(f))) ||
      this.findings.some((f) => ruleById(f.code) !== undefined && hasSafeFix(this.fixesOf(f))));
  }

  fixAllAction(kind: string): CodeAction | undefined {
    const { s, uri } = this;
    if (s.client.codeActionResolve) return { title: FIX_ALL_TITLE, kind, data: { uri, fixAll: true } };
    // A client that cannot resolve gets, in the light bulb (asked at every cursor move), a
    // command: the whole fix-all is built only if it is chosen (issue 23). Asked for by kind
    // (on save, from the palette), the edit comes at once.
    if (kind === CodeActionKind.QuickFix && s.client.appliesEdits)
      return {
        title: FIX_ALL_TITLE,
        kind,
        command: { title: FIX_ALL_TITLE, command: FIX_ALL_COMMAND, arguments: [uri] },
      };
    const edit = fixAllEdit(s, this.d.path);
    return edit ? { title: FIX_ALL_TITLE, kind, edit } : undefined;
  }
}

function codeActions(s: ServerState, p: CodeActionParams): CodeAction[] {
  const d = s.featureDoc(p.textDocument.uri);
  if (!d || d.text.length > MAX_ANALYZED_CHARS) return [];
  const only = p.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
  reanalyzeStale(s, d.path);
  const req = new ActionRequest(s, d, p.textDocument.uri);
  const out: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) out.push(...quickFixes(s, req, p));
  if ((wants(FIX_ALL_KIND) || (only && only.includes(CodeActionKind.SourceFixAll))) && req.anySafe([])) {
    const all = req.fixAllAction(FIX_ALL_KIND);
    if (all) out.push(all);
  }
  return out;
}

/**
 * Fixes are built from an analysis of the texts as they are now (issue 23): featureDoc ran the
 * document's pending check, and a root whose analysis is older still (another file it reads was
 * edited, a tree moved) is analysed again first.
 */
function reanalyzeStale(s: ServerState, path: string): void {
  const stale = s.project.staleRootsOf(path);
  if (!stale.length) return;
  const affected = new Set<string>();
  for (const r of stale) for (const f of s.project.analyzeRoot(r)) affected.add(f);
  afterAnalysis(s, affected);
}

/** The quick fixes at the cursor: fixes, then "Fix all safe", then disable comments and rule pages. */
function quickFixes(s: ServerState, req: ActionRequest, p: CodeActionParams): CodeAction[] {
  const here = req.findings.filter((f) => rangesTouch(f.range, p.range));
  req.buildAll(here);
  const preferred = preferredFix(here, (f) => req.fixesOf(f));
  // Identical actions (two findings offering the same edit, "Disable X for this line" for two
  // findings of X on one line) are listed once, with every diagnostic they resolve.
  const byKey = new Map<string, CodeAction>();
  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  const add = (list: CodeAction[], key: string, action: CodeAction) => {
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, action);
      list.push(action);
      return;
    }
    seen.diagnostics = [...(seen.diagnostics ?? []), ...(action.diagnostics ?? [])];
    if (action.isPreferred) seen.isPreferred = true;
  };
  for (const f of here) {
    const diagnostic = toDiagnostic(f, s.project.paths, s.ruleLinks);
    for (const fix of req.fixesOf(f))
      add(fixes, `fix ${JSON.stringify(fix.edits)}`, fixAction(s, fix, diagnostic, fix === preferred));
    for (const [key, action] of disableActions(s, f, diagnostic, req.d, req.uri)) add(disables, key, action);
  }
  const out = [...fixes];
  // In the light bulb too (not only under Source Action), when something can be fixed safely.
  if (here.length > 0 && req.anySafe(here)) {
    const all = req.fixAllAction(CodeActionKind.QuickFix);
    if (all) out.push(all);
  }
  out.push(...disables);
  if (s.ruleLinks === 'editor') out.push(...docActions(s, here));
  return out;
}

function fixAction(s: ServerState, fix: Fix, diagnostic: Diagnostic, isPreferred: boolean): CodeAction {
  const byPath = new Map<string, TextEdit[]>();
  for (const e of fix.edits)
    byPath.set(e.file, [...(byPath.get(e.file) ?? []), { range: e.range, newText: e.newText }]);
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred,
    edit: workspaceEdit(s, byPath),
  };
}
