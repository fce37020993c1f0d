/**
 * Incremental analysis of one HAProxy file while it is edited.
 *
 * An edit inside one line (syntax/haproxy/incremental.ts) re-lexes that line, replaces its
 * statement, re-checks that statement against the knowledge base, rebuilds the one proxy it
 * belongs to (model/haproxy.ts updateHaproxyConfig) and runs the rules again over a config whose
 * other proxy objects are the same as before — so everything the model and the rules remember
 * per proxy is still there. The other lines' knowledge findings keep their positions (no line
 * break came or went) and the suppression comments read before still hold, so neither is made
 * again. Anything else (line breaks, section headers, `.if` blocks, defaults
 * sections, several files...) is analysed from scratch. Either way the findings are those of a
 * fresh analysis of the new text (test/syntax/haproxy/incremental.test.ts checks it on random
 * edit sequences).
 */
import type { HaproxyAnalysis, LanguageService } from '../index';
import { analyzeHaproxyFiles, haproxyFileOptions } from './analyse';
import { lineAfterEdit, sliceNear } from '../text';
import { spanFinding } from './findings';
import type { DetectedVersion } from '../version-detect';
import { validateHaproxyStatement } from '../knowledge/haproxy-validate';
import { checkHaproxyTimeStatement, validateConfigKnowledge, type KnowledgeFinding } from '../knowledge-check';
import {
  buildHaproxyConfig,
  haproxyParseText,
  sourceMayMentionWslb,
  updateHaproxyConfig,
  type HaproxyConfig,
} from '../model/haproxy';
import { recogniseHaproxyTemplate } from '../model/haproxy-template';
import { parseHaproxy } from '../syntax/haproxy';
import { reparseHaproxyLine, type HaproxyLineChange } from '../syntax/haproxy/incremental';
import { commentSyntaxOf, type Suppressions } from '../suppress';
import type { LineIndex, TextEdit } from '../text';
import type { Finding } from '../types';

interface State {
  service: LanguageService;
  path: string;
  text: string;
  config: HaproxyConfig;
  /** Knowledge-base findings in file order. */
  knowledge: KnowledgeFinding[];
  /**
   * The same as Findings (positions by line and character). An edit inside one line leaves every
   * other line's positions as they were, so only the edited line's are made again.
   */
  knowledgeFindings: Finding[];
  /** The suppression comments read so far; valid until a line with `wslb` in it is edited. */
  suppressions: Map<string, Suppressions>;
  /** What the file's siblings or name say about its version, as given to the last analysis. */
  versionHint: DetectedVersion | undefined;
  /** The version the file is checked for (haproxyFileOptions()). */
  version: string;
}

/** More edits than this in one go are not worth replaying one by one. */
const MAX_EDITS = 16;

export class HaproxyIncremental {
  private state: State | null = null;
  /** How the last analysis was made: 'line' (incremental) or 'full'. */
  lastKind: 'full' | 'line' = 'full';

  /** The text of the last analysis, if any. */
  get text(): string | undefined {
    return this.state?.text;
  }

  /**
   * Analyse `text` of `path`. `edits`, when given, turn the text of the last analysis into `text`
   * (each applies to the text the previous one produced).
   */
  analyze(
    service: LanguageService,
    path: string,
    text: string,
    edits?: readonly TextEdit[],
    versionHint?: DetectedVersion,
  ): HaproxyAnalysis {
    const st = this.state;
    // The previous tree may be changed in place below: nothing may keep using it.
    this.state = null;
    if (
      st &&
      edits &&
      edits.length > 0 &&
      edits.length <= MAX_EDITS &&
      st.service === service &&
      st.path === path &&
      st.versionHint?.version === versionHint?.version
    ) {
      const done = this.update(st, text, edits);
      if (done) return done;
    }
    return this.full(service, path, text, versionHint);
  }

  /** Forget everything (the file was closed or removed). */
  reset(): void {
    this.state = null;
  }

  private full(service: LanguageService, path: string, text: string, versionHint?: DetectedVersion): HaproxyAnalysis {
    // A template is parsed with its placeholders neutralised (model/haproxy-template.ts).
    const template = recogniseHaproxyTemplate(text);
    const tree = parseHaproxy(template?.text ?? text);
    const config = buildHaproxyConfig([{ path, text, tree, template }]);
    const { options } = haproxyFileOptions(service.options, { path, text, versionHint }, config.sources[0]);
    const knowledge = validateConfigKnowledge({ language: 'haproxy', config }, options);
    const knowledgeFindings = knowledge.map((k) => toFinding(k, tree.lineIndex));
    const suppressions = new Map<string, Suppressions>();
    // a text without a `# wslb` comment has no suppression comment: it is not searched for one
    if (commentSyntaxOf(path) === 'hash' && !sourceMayMentionWslb(config.sources[0]))
      suppressions.set(path, { file: null, lines: new Map() });
    const analysis = analyzeHaproxyFiles(service.options, service.fixTiming, [{ path, text, versionHint }], {
      config,
      knowledge,
      knowledgeFindings,
      suppressions,
    });
    const version = options.haproxyVersion;
    this.state = { service, path, text, config, knowledge, knowledgeFindings, suppressions, versionHint, version };
    this.lastKind = 'full';
    return analysis;
  }

  private update(st: State, text: string, edits: readonly TextEdit[]): HaproxyAnalysis | null {
    const { service, path, versionHint, version } = st;
    if (st.config.sources.length !== 1 || st.config.sources[0].path !== path) return null;
    // A template is analysed from scratch (its placeholders come and go with any edit), and so is
    // an edit that writes or removes a character a placeholder is made of (it may make one).
    if (st.config.sources[0].template) return null;
    let config = st.config;
    let knowledge = st.knowledge;
    const knowledgeFindings = st.knowledgeFindings;
    let suppressions = st.suppressions;
    let current = st.text;
    for (let i = 0; i < edits.length; i++) {
      const e = edits[i];
      // (the edited line is read from e.lines when the edit carries them: text.ts, EditLines)
      const removed = sliceNear(current, e.lines, 'before', e.offset, e.offset + e.deleted);
      if (TEMPLATE_CHARS.test(e.inserted) || TEMPLATE_CHARS.test(removed)) return null;
      const next =
        i === edits.length - 1
          ? text
          : (e.made ?? current.slice(0, e.offset) + e.inserted + current.slice(e.offset + e.deleted));
      // letters typed between existing marks (`%%` `%%`, `{` `}`) can make a placeholder too: one
      // on a single line holds the edit, so its line is looked at
      const edited = lineAfterEdit(next, e);
      if (haproxyParseText(edited) !== edited) return null;
      const change = reparseHaproxyLine(config.sources[0].tree, next, e);
      if (!change) return null;
      // No line break came or went, so suppressions keep their lines, unless the line held one or now does.
      const oldLine = change.oldText;
      const newLine = change.newText;
      // a `# wslb: haproxy X` comment may have come, gone or changed: the whole file's version with it
      if (VERSION_COMMENT.test(oldLine) || VERSION_COMMENT.test(newLine)) return null;
      if (WSLB.test(oldLine) || WSLB.test(newLine)) suppressions = new Map();
      knowledge = updateKnowledge(knowledge, knowledgeFindings, change, path, version);
      config =
        updateHaproxyConfig(config, path, change) ?? buildHaproxyConfig([{ path, text: next, tree: change.tree }]);
      current = next;
    }
    if (current !== text) return null;
    const analysis = analyzeHaproxyFiles(service.options, service.fixTiming, [{ path, text, versionHint }], {
      config,
      knowledge,
      knowledgeFindings,
      suppressions,
    });
    this.state = { service, path, text, config, knowledge, knowledgeFindings, suppressions, versionHint, version };
    this.lastKind = 'line';
    return analysis;
  }
}

/** Index of the first finding starting at or after `offset` (findings are in file order, by line). */
function firstAtOrAfter(list: readonly KnowledgeFinding[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const WSLB = /wslb/i;
const VERSION_COMMENT = /wslb:[ \t]*(haproxy|nginx)/i;
/** The characters template placeholders are made of (template.ts), and `#` (a comment hides them). */
const TEMPLATE_CHARS = /[{}%<>$#]/;

function toFinding(k: KnowledgeFinding, lineIndex: LineIndex): Finding {
  return spanFinding(k.path, k.span, k.severity, k.code, k.message, () => lineIndex);
}

/**
 * The edited line's findings replaced by its new statement's, the later ones moved; `findings`
 * (the same as Findings, in the same order) is updated alike (the later ones keep their positions).
 */
function updateKnowledge(
  list: KnowledgeFinding[],
  findings: Finding[],
  change: HaproxyLineChange,
  path: string,
  version: string,
): KnowledgeFinding[] {
  const from = firstAtOrAfter(list, change.lineStart);
  const to = firstAtOrAfter(list, change.oldLineEnd);
  const fresh: KnowledgeFinding[] = [];
  if (change.added) {
    const out: Parameters<typeof validateHaproxyStatement>[3] = [];
    validateHaproxyStatement(change.section, change.added, { version }, out);
    for (const d of out) fresh.push({ path, ...d });
    // the time values HAProxy refuses (knowledge-check.ts), in line order with the rest
    const before = fresh.length;
    checkHaproxyTimeStatement(path, change.added, fresh);
    if (fresh.length > before) fresh.sort((a, b) => a.span.start - b.span.start);
  }
  findings.splice(from, to - from, ...fresh.map((k) => toFinding(k, change.tree.lineIndex)));
  if (change.delta !== 0) {
    for (let i = to; i < list.length; i++) {
      const s = list[i].span;
      s.start += change.delta;
      s.end += change.delta;
    }
  }
  list.splice(from, to - from, ...fresh);
  return list;
}
