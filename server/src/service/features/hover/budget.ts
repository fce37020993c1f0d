/**
 * How long a hover may be, and the shortening that keeps it there: a note's first sentences, with
 * its guide section cited (the rest is one click away).
 */
import { sourcePointer, type SourceSection } from '../../docs/sections';
import type { WsNote } from '../../docs/ws-notes';

/** A default hover stays short (issue 20: under about 1,200 characters); the long text is one click away. */
export const HOVER_BUDGET = 1200;

/**
 * The first sentences of a note, up to about `max` characters: the WebSocket fact in two or three
 * lines. (Sentences end with ". " before a capital letter or a backtick.)
 */
export function firstSentences(text: string, max = 300): string {
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z`])/);
  let out = sentences[0];
  for (const sn of sentences.slice(1)) {
    if (out.length + 1 + sn.length > max) break;
    out += ' ' + sn;
  }
  return out;
}

/**
 * The WebSocket note, shortened, when the thing hovered carries WebSocket (`carries`); with its
 * guide section as a citation.
 */
export function noteMarkdown(note: WsNote | undefined, carries = true): string | undefined {
  if (!note || !carries) return undefined;
  return `**WebSocket:** ${firstSentences(note.text)}\n\n${guideCitation(note.section)}`;
}

export function guideCitation(section: SourceSection): string {
  return sourcePointer(section);
}
