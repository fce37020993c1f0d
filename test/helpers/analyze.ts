/** Test helpers: analyse in-memory configs, apply fixes until stable. */
import { createLanguageService, type ServiceOptions } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { applyEdits, collectFixEdits } from '../../server/src/service/fixes/apply';
import type { Finding } from '../../server/src/service/types';

export type Lang = 'nginx' | 'haproxy' | 'aws';

/** AWS fixtures: Terraform and CloudFormation (YAML, JSON). */
const AWS_FIXTURE = /\.(tf|ya?ml|json)$/;

export function languageOfFixture(file: string): Lang {
  if (AWS_FIXTURE.test(file)) return 'aws';
  return /\.cfg$/.test(file) ? 'haproxy' : 'nginx';
}

/** The path a fixture is analysed under (AWS files are told apart by their extension). */
export function fixturePath(lang: Lang, file: string): string | undefined {
  if (lang !== 'aws') return undefined;
  const ext = /\.[a-z]+$/.exec(file)?.[0] ?? '.tf';
  return `/infra/main${ext}`;
}

export function analyzeText(
  lang: Lang,
  text: string,
  options: Partial<ServiceOptions> = {},
  path = lang === 'nginx' ? '/etc/nginx/nginx.conf' : lang === 'aws' ? '/infra/main.tf' : '/etc/haproxy/haproxy.cfg',
): Finding[] {
  const service = createLanguageService(options);
  if (lang === 'nginx') return service.analyzeNginx(path, new MemoryFileSystem({ [path]: text })).findings;
  if (lang === 'aws') return service.analyzeAws([{ path, text }]).findings;
  return service.analyzeHaproxy([{ path, text }]).findings;
}

export function analyzeFiles(
  files: Record<string, string>,
  root: string,
  options: Partial<ServiceOptions> = {},
): Finding[] {
  return createLanguageService(options).analyzeNginx(root, new MemoryFileSystem(files)).findings;
}

/** Apply the preferred fixes of findings matching `filter`, re-checking until nothing changes (max 10 rounds). */
export function fixUntilStable(
  lang: Lang,
  text: string,
  filter: (f: Finding) => boolean,
  options: Partial<ServiceOptions> = {},
  path?: string,
): { text: string; rounds: number } {
  let current = text;
  for (let round = 1; round <= 10; round++) {
    const findings = analyzeText(lang, current, options, path);
    const edits = collectFixEdits(findings, filter);
    const mine = [...edits.values()].flat();
    if (mine.length === 0) return { text: current, rounds: round - 1 };
    const next = applyEdits(current, mine);
    if (next === current) return { text: current, rounds: round - 1 };
    current = next;
  }
  throw new Error('fixes did not converge in 10 rounds');
}

export function fmtRange(f: Finding): string {
  return `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;
}
