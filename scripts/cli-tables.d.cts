/** Types of scripts/cli-tables.cjs (the CLI's compact form of nginx's command table). */
export interface CompactCommands {
  $comment: string;
  releases: string[];
  strings: string[];
  lists: string[][];
  variants: [since: number, contexts: number, args: number, block: 0 | 1][];
  directives: (string | number)[][];
}
export function compactCommands(table: unknown): CompactCommands;
export function expandCommands(table: CompactCommands): unknown;
