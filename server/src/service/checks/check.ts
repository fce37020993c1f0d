/**
 * What a check is: a code the parsers, the model and the knowledge-base validators emit (syntax,
 * unknown or misplaced directives, versions, includes), beside the WebSocket rules of ../rules.
 * Each has an id, a default severity (a finding may carry another, e.g. a warning when the target
 * version is not the one the knowledge base was read from) and a short explanation. Its long one
 * (a few sentences: what the tool itself does with such a line, and what to do) is the Markdown
 * file `<system>/<name>.md` in this folder, read through rules/long-docs.ts. The CLI
 * (`wslb rules`, `wslb explain`, `--rule id=off`), the server (hover, code description,
 * `wslb.rules`) and docs/rules.md read them from the registry (index.ts).
 */
import type { Severity } from '../types';

export interface CheckDef {
  /** `<system>/<name>`, as findings carry it. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the finding means. */
  readonly short: string;
  /** Where the behaviour is documented (pages or source files), when there is one place. */
  readonly references?: readonly string[];
}
