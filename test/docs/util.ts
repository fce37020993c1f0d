/** Helpers of the hover tests: analyse in-memory configs and hover at a marker. */
import { createLanguageService, type ServiceOptions } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { withDefaults } from '../../server/src/service/options';
import { doHover, type HoverResult } from '../../server/src/service/features/hover';

/** Offset of the `n`-th occurrence of `needle` in `text`, plus `delta` (throws when absent, so a test cannot pass on a typo). */
export function at(text: string, needle: string, delta = 0, n = 1): number {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`marker not found: ${JSON.stringify(needle)} (#${n})`);
  }
  return i + delta;
}

export function hoverNginx(
  files: Record<string, string>,
  root: string,
  path: string,
  offset: number,
  options: Partial<ServiceOptions> = {},
  withFindings = true,
): HoverResult | null {
  const service = createLanguageService(options);
  const a = service.analyzeNginx(root, new MemoryFileSystem(files));
  return doHover({
    language: 'nginx',
    path,
    offset,
    nginx: a.config,
    findings: withFindings ? a.findings : [],
    options: withDefaults(options),
  });
}

export function hoverHaproxy(
  text: string,
  offset: number,
  options: Partial<ServiceOptions> = {},
  path = '/etc/haproxy/haproxy.cfg',
  withFindings = true,
): HoverResult | null {
  const service = createLanguageService(options);
  const a = service.analyzeHaproxy([{ path, text }]);
  return doHover({
    language: 'haproxy',
    path,
    offset,
    haproxy: a.config,
    findings: withFindings ? a.findings : [],
    options: withDefaults(options),
  });
}
