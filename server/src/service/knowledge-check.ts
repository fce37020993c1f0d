/**
 * Bridge from the model to the knowledge-base validators (unknown directives and keywords, wrong
 * context, argument counts, versions). Each file is checked in the context it is included in.
 */
import { validateHaproxy, validateNginx } from './knowledge';
import type { HaproxyConfig } from './model/haproxy';
import { contextPath, type NginxConfig } from './model/nginx';
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
  input: { language: 'nginx'; config: NginxConfig } | { language: 'haproxy'; config: HaproxyConfig },
  options: ServiceOptions,
): KnowledgeFinding[] {
  const out: KnowledgeFinding[] = [];
  if (input.language === 'nginx') {
    const { config } = input;
    for (const [path, src] of config.sources) {
      const at = config.includedAt.get(path);
      const rootContext = at ? contextPath(at) : path === config.rootPath ? (config.assumedContext ?? []) : [];
      for (const d of validateNginx(src.tree, {
        version: options.nginxVersion,
        versionChosen: !!options.nginxVersionSet,
        rootContext,
      }))
        out.push({ path, ...d });
    }
  } else {
    for (const src of input.config.sources) {
      for (const d of validateHaproxy(src.tree, { version: options.haproxyVersion }))
        out.push({ path: src.path, ...d });
    }
  }
  return out;
}
