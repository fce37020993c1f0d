/** Output formats of `wslb check`: text (file:line:col severity rule message), JSON, SARIF 2.1.0. */
import * as path from 'node:path';
import { allCodes, knownCode } from '../service/codes';
import { codeDocsUrl } from '../service/docs/links';
import { ruleById } from '../service/rules';
import type { Finding, Severity } from '../service/types';
import { escapeControls } from '../service/words';

const COLORS: Record<Severity, string> = {
  error: '\x1b[31m',
  warning: '\x1b[33m',
  information: '\x1b[36m',
  hint: '\x1b[2m',
};

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function position(file: string, r: Finding['range'], cwd: string): string {
  return `${escapeControls(displayPath(file, cwd))}:${r.start.line + 1}:${r.start.character + 1}`;
}

/**
 * One finding a line: `file:line:col severity rule-id message`, then its related notes (the
 * other places it involves: what `haproxy -c` says, where a value comes from) indented below it,
 * `  note: file:line:col text`, as compilers print them. Text from the config (in the message)
 * and file names are written with their control characters escaped (\x1b, \n...), so neither
 * can drive the terminal or CI log that shows them, nor break the line format; the only escape
 * sequences written are the colours.
 */
export function formatText(findings: Finding[], cwd: string, color: boolean): string {
  const lines = findings.flatMap((f) => {
    const sev = color ? `${COLORS[f.severity]}${f.severity}\x1b[0m` : f.severity;
    const code = color ? `\x1b[2m${escapeControls(f.code)}\x1b[0m` : escapeControls(f.code);
    const head = `${position(f.file, f.range, cwd)} ${sev} ${code} ${escapeControls(f.message)}${f.fixes.length ? (color ? ' \x1b[32m[fix]\x1b[0m' : ' [fix]') : ''}`;
    const note = color ? '\x1b[2mnote:\x1b[0m' : 'note:';
    return [
      head,
      ...(f.related ?? []).map((r) => `  ${note} ${position(r.file, r.range, cwd)} ${escapeControls(r.message)}`),
    ];
  });
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const summary = `${findings.length} problem${findings.length === 1 ? '' : 's'} (${count('error')} errors, ${count('warning')} warnings, ${count('information') + count('hint')} notes)`;
  return [...lines, summary].join('\n') + '\n';
}

/** One finding as `wslb check --format json` prints it (ranges 0-based, as in LSP). */
export interface JsonFinding {
  file: string;
  range: Finding['range'];
  severity: Severity;
  code: string;
  message: string;
  /** Other places the finding involves, each with a note (absent when there are none). */
  related?: { file: string; range: Finding['range']; message: string }[];
  /** kind 'safe': applied by --fix and the editor's fix-all; 'suggestion': one by one, after a check. */
  fixes: {
    title: string;
    kind: 'safe' | 'suggestion';
    edits: { file: string; range: Finding['range']; newText: string }[];
  }[];
}

export function formatJson(findings: Finding[]): string {
  return (
    JSON.stringify(
      findings.map((f): JsonFinding => ({
        file: f.file,
        range: f.range,
        severity: f.severity,
        code: f.code,
        message: f.message,
        ...(f.related?.length
          ? { related: f.related.map((r) => ({ file: r.file, range: r.range, message: r.message })) }
          : {}),
        fixes: f.fixes.map((x) => ({
          title: x.title,
          kind: x.kind,
          edits: x.edits.map((e) => ({ file: e.file, range: e.range, newText: e.newText })),
        })),
      })),
      null,
      2,
    ) + '\n'
  );
}

function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function fileUri(file: string): string {
  return 'file://' + file.split('/').map(encodeURIComponent).join('/');
}

function region(r: Finding['range']) {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

export function formatSarif(findings: Finding[], version: string): string {
  // Every known code (rules, then validity checks) has its metadata; an unknown one (a bug, see
  // test/rules/codes.test.ts) still gets an entry so that ruleIndex stays valid.
  const ruleIds = [...new Set([...allCodes().map((c) => c.id), ...findings.map((f) => f.code)])];
  const rules = ruleIds.map((id) => {
    const c = knownCode(id);
    if (!c) return { id, shortDescription: { text: id } };
    const r = ruleById(id);
    return {
      id,
      shortDescription: { text: c.short },
      fullDescription: { text: c.short },
      help: { text: c.long, markdown: c.long },
      helpUri: codeDocsUrl(id),
      defaultConfiguration: { level: sarifLevel(c.severity) },
      properties: r
        ? { kind: 'rule', versions: r.meta.versions, section: r.meta.docs.section, references: c.references }
        : { kind: 'check', references: c.references },
    };
  });
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'wslb', version, informationUri: 'https://example.invalid/wslb', rules } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(f.file) }, region: region(f.range) } }],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i,
                  physicalLocation: { artifactLocation: { uri: fileUri(r.file) }, region: region(r.range) },
                  message: { text: r.message },
                })),
              }
            : {}),
          ...(f.fixes.length
            ? {
                fixes: f.fixes.map((x) => ({
                  description: { text: x.title },
                  artifactChanges: groupByFile(x.edits).map(([file, edits]) => ({
                    artifactLocation: { uri: fileUri(file) },
                    replacements: edits.map((e) => ({
                      deletedRegion: region(e.range),
                      insertedContent: { text: e.newText },
                    })),
                  })),
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function groupByFile<T extends { file: string }>(edits: T[]): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const e of edits) m.set(e.file, [...(m.get(e.file) ?? []), e]);
  return [...m];
}
