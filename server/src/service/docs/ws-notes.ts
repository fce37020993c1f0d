/**
 * WebSocket notes for the directives and keywords that matter to long-lived connections: what goes
 * wrong, why, what to do. Our own words; the facts come from the nginx and HAProxy documentation
 * (https://nginx.org/en/docs/, https://docs.haproxy.org/2.6/configuration.html), the nginx 1.22.1 /
 * HAProxy 2.6 sources, and what the live suite observed (docs/live-findings.md). Where the source
 * material is imprecise, the note says what the binaries actually do.
 *
 * The notes are Markdown, one file per system beside this module (ws-notes/nginx.md,
 * ws-notes/haproxy.md; each file's head describes its format), read on the first hover that needs
 * one. Hovers and the notes test read them only through this module (one source of truth). A note
 * that states a default lists it in `defaults`, and test/docs/notes.test.ts checks each against the
 * knowledge base for that version.
 *
 * Keys: nginx directives by name ("proxy_read_timeout"); nginx upstream `server` parameters as
 * "server:<param>" ("server:max_fails"); HAProxy keywords as the manual names them ("timeout
 * tunnel", "option httpchk"); balance algorithms as "balance <algorithm>"; HAProxy server options
 * as "server:<option>".
 */
import { SOURCE_SECTIONS, type SourceSection } from './sections';

export interface WsNote {
  system: 'nginx' | 'haproxy';
  key: string;
  /** Markdown: what goes wrong, why, what to do. The hover appends "Source: <section>". */
  text: string;
  section: SourceSection;
  /** Defaults the text states, per target version (checked against the knowledge base). */
  defaults?: { version: string; value: string; family?: 'http' | 'stream' | 'main' }[];
}

type Default = NonNullable<WsNote['defaults']>[number];

const DEFAULT = /^- default: (.+) \(nginx (\S+?)(?:, (http|stream|main))?\)$/;

/** The notes of one file: `## key`, its `- section:` / `- default:` lines, a blank line, the text. */
function parseNotes(system: WsNote['system'], markdown: string): WsNote[] {
  return markdown
    .split(/^## /m)
    .slice(1)
    .map((chunk) => {
      const [head, meta, ...text] = chunk.replace(/\n+$/, '').split('\n\n');
      const lines = meta.split('\n');
      const section = lines[0].replace(/^- section: /, '') as SourceSection;
      if (!SOURCE_SECTIONS.includes(section)) throw new Error(`ws-notes/${system}.md, ${head}: section "${section}"`);
      const defaults = lines.slice(1).map((l): Default => {
        const m = DEFAULT.exec(l);
        if (!m) throw new Error(`ws-notes/${system}.md, ${head}: "${l}"`);
        return m[3]
          ? { version: m[2], value: m[1], family: m[3] as Default['family'] }
          : { version: m[2], value: m[1] };
      });
      const note: WsNote = { system, key: head, text: text.join('\n\n'), section };
      return defaults.length ? { ...note, defaults } : note;
    });
}

let notes: readonly WsNote[] | undefined;
let index: Map<string, WsNote> | undefined;

/** Every note, nginx first. */
export function allWsNotes(): readonly WsNote[] {
  notes ??= [
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ...parseNotes('nginx', require('./ws-notes/nginx.md') as string),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ...parseNotes('haproxy', require('./ws-notes/haproxy.md') as string),
  ];
  return notes;
}

export function wsNote(system: 'nginx' | 'haproxy', key: string): WsNote | undefined {
  index ??= new Map(allWsNotes().map((n) => [`${n.system}\0${n.key}`, n]));
  return index.get(`${system}\0${key}`);
}
