/**
 * Bridge from the model to the knowledge-base validators (unknown directives and keywords, wrong
 * context, argument counts, versions). Kept apart so the orchestrator stays small.
 */
import type { HaproxyConfig } from './model/haproxy';
import type { NginxConfig } from './model/nginx';
import type { ServiceOptions } from './options';
import type { Span } from './text';
import type { Severity } from './types';

export interface KnowledgeFinding {
  path: string;
  span: Span;
  severity: Severity;
  code: string;
  message: string;
}

export function validateConfigKnowledge(
  _input: { language: 'nginx'; config: NginxConfig } | { language: 'haproxy'; config: HaproxyConfig },
  _options: ServiceOptions,
): KnowledgeFinding[] {
  // Wired to the knowledge-base validators once they land (see server/src/service/knowledge/).
  return [];
}
