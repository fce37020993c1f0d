/**
 * The analysis of a config from scratch: build the model, check it against the knowledge base,
 * run the rules, and make the findings (findings.ts). The service's façade (index.ts) and the
 * host's engines (nginx.ts, haproxy.ts: their first analysis and their fallback) use it.
 */
import { buildHaproxyConfig, sourceMayMentionWslb, type HaproxyConfig, type HaproxySource } from '../model/haproxy';
import { buildAwsConfig, type AwsInputFile } from '../model/aws-build';
import { buildNginxConfig, type BuildOptions } from '../model/nginx';
import type { ConfigFileSystem } from '../model/fs';
import type { ServiceOptions } from '../options';
import { AWS_RULES, HAPROXY_RULES, NGINX_RULES } from '../rules';
import type { Suppressions } from '../suppress';
import { LineIndex } from '../text';
import type { Finding } from '../types';
import { validateConfigKnowledge, type KnowledgeFinding } from '../knowledge-check';
import { haproxyTarget } from '../knowledge/haproxy-tables';
import { nginxTarget } from '../knowledge/nginx';
import { effectiveVersion, versionHintFor, type DetectedVersion, type EffectiveVersion } from '../version-detect';
import type { AwsAnalysis, FixTiming, HaproxyAnalysis, HaproxyInputFile, NginxAnalysis } from '../index';
import {
  finish,
  nginxBaseFindings,
  oneFindingPerCause,
  runRules,
  spanFinding,
  withTemplateNotes,
  type LineIndexOf,
} from './findings';

/**
 * What an incremental HAProxy update (haproxy.ts) already has: the config built from
 * the files, its knowledge findings (and, optionally, the same as Findings), and the suppression
 * comments read from the files so far (filled as they are read; valid while no line holding one
 * and no line break has changed).
 */
export interface PreparedHaproxy {
  config: HaproxyConfig;
  knowledge: KnowledgeFinding[];
  knowledgeFindings?: Finding[];
  suppressions?: Map<string, Suppressions>;
}

/**
 * The HAProxy version a group of files is checked for (the first file's comment or hint, see
 * version-detect.ts effectiveVersion()), and the options that carry it.
 */
export function haproxyFileOptions(
  options: ServiceOptions,
  file: HaproxyInputFile | undefined,
  source?: HaproxySource,
): { options: ServiceOptions; version: EffectiveVersion } {
  // `source`, the file's when built already: without a `# wslb` comment it has no version comment
  // to search its text for (on every edit of a large file)
  const comments = file && (source === undefined || sourceMayMentionWslb(source)) ? file.text : '';
  const version = file
    ? effectiveVersion(comments, 'haproxy', options.haproxyVersion, !!options.haproxyVersionSet, file.versionHint)
    : { version: options.haproxyVersion };
  return {
    options: version.version === options.haproxyVersion ? options : { ...options, haproxyVersion: version.version },
    version,
  };
}

/**
 * The one finding of a file whose target HAProxy version wslb has no keyword table for (older than
 * the oldest): said instead of checking its keywords against another version's.
 */
export function haproxyVersionFindings(
  file: HaproxyInputFile | undefined,
  version: EffectiveVersion,
  indexOf: LineIndexOf,
): Finding[] {
  if (!file) return [];
  const t = haproxyTarget(version.version);
  if (t.ok) return [];
  const d = version.detected;
  const at = d?.at ?? 0;
  const end = d?.kind === 'comment' ? file.text.indexOf('\n', at) : -1;
  const span = { start: at, end: d?.kind === 'comment' ? (end < 0 ? file.text.length : end) : at };
  const why = d
    ? `this file targets HAProxy ${version.version} (${d.from})`
    : `the target version is HAProxy ${version.version}`;
  const msg = t.message.replace(/^HAProxy \S+ is/, 'which is');
  return [spanFinding(file.path, span, 'information', 'haproxy/version-unsupported', `${why}, ${msg}`, indexOf)];
}

/**
 * The options an nginx config is checked with: the nginx version its root file's comment or
 * siblings say (version-detect.ts), as if the user had set it.
 */
export function nginxFileOptions(
  options: ServiceOptions,
  rootText: string | undefined,
  hint: DetectedVersion | undefined,
): ServiceOptions {
  if (rootText === undefined) return options;
  const v = effectiveVersion(rootText, 'nginx', options.nginxVersion, !!options.nginxVersionSet, hint);
  if (!v.detected || !nginxTarget(v.version).ok) return options;
  if (v.version === options.nginxVersion && options.nginxVersionSet) return options;
  return { ...options, nginxVersion: v.version, nginxVersionSet: true };
}

/**
 * An nginx config from its root file (fresh: the façade's analyzeNginx). `oneShot`: no later
 * analysis will reuse its trees (the CLI), so nothing is kept for one.
 */
export function analyzeNginxConfig(
  base: ServiceOptions,
  fixTiming: FixTiming,
  rootPath: string,
  fs: ConfigFileSystem,
  build?: BuildOptions,
  oneShot = false,
): NginxAnalysis {
  const config = buildNginxConfig(rootPath, fs, build);
  const options = nginxFileOptions(base, config.sources.get(rootPath)?.text, versionHintFor(fs, rootPath, 'nginx'));
  const indexOf: LineIndexOf = (p) => config.sources.get(p)?.tree.lineIndex;
  const knowledge = validateConfigKnowledge({ language: 'nginx', config }, options, !oneShot);
  const findings = nginxBaseFindings(config, knowledge, indexOf);
  findings.push(...runRules(NGINX_RULES, config, options, indexOf, undefined, fixTiming));
  const all = withTemplateNotes(config.sources.values(), findings, indexOf, 'nginx');
  return {
    language: 'nginx',
    config,
    findings: finish(all, (p) => config.sources.get(p)?.text, undefined, options),
    options,
  };
}

/**
 * HAProxy files checked as one configuration. `prepared`: a config already built from these files
 * and its knowledge findings (haproxy.ts, an incremental update); the findings are the same as
 * without it.
 */
export function analyzeHaproxyFiles(
  options: ServiceOptions,
  fixTiming: FixTiming,
  files: HaproxyInputFile[],
  prepared?: PreparedHaproxy,
): HaproxyAnalysis {
  const config = prepared?.config ?? buildHaproxyConfig(files);
  const { options: fileOptions, version } = haproxyFileOptions(options, files[0], config.sources[0]);
  const byPath = new Map(config.sources.map((s) => [s.path, s]));
  const indexOf: LineIndexOf = (p) => byPath.get(p)?.tree.lineIndex;
  const syntax: Finding[] = [];
  for (const s of config.sources)
    for (const d of s.tree.diagnostics)
      syntax.push(spanFinding(s.path, d, d.severity, 'haproxy/syntax', d.message, indexOf));
  const checks: Finding[] = haproxyVersionFindings(files[0], version, indexOf);
  for (const d of config.diagnostics) checks.push(spanFinding(d.path, d, d.severity, d.code, d.message, indexOf));
  if (prepared?.knowledgeFindings) for (const f of prepared.knowledgeFindings) checks.push(f);
  else
    for (const k of prepared?.knowledge ?? validateConfigKnowledge({ language: 'haproxy', config }, fileOptions))
      checks.push(spanFinding(k.path, k.span, k.severity, k.code, k.message, indexOf));
  const rules = runRules(HAPROXY_RULES, config, fileOptions, indexOf, undefined, fixTiming);
  const findings = withTemplateNotes(config.sources, oneFindingPerCause(syntax, checks, rules), indexOf, 'haproxy');
  return {
    language: 'haproxy',
    config,
    findings: finish(findings, (p) => byPath.get(p)?.text, prepared?.suppressions, options),
    options: fileOptions,
  };
}

/** Terraform modules and CloudFormation templates. */
export function analyzeAwsFiles(options: ServiceOptions, fixTiming: FixTiming, files: AwsInputFile[]): AwsAnalysis {
  const config = buildAwsConfig(files);
  const byPath = new Map(config.files.map((f) => [f.path, new LineIndex(f.text)]));
  const indexOf: LineIndexOf = (p) => byPath.get(p);
  const findings: Finding[] = [];
  for (const d of config.diagnostics) findings.push(spanFinding(d.path, d, d.severity, d.code, d.message, indexOf));
  findings.push(...runRules(AWS_RULES, config, options, indexOf, undefined, fixTiming));
  const texts = new Map(config.files.map((f) => [f.path, f.text]));
  return {
    language: 'aws',
    config,
    findings: finish(findings, (p) => texts.get(p), undefined, options),
    options,
  };
}
