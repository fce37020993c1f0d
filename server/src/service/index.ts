/**
 * The language service: pure functions from config text to findings, hovers, fixes and pools.
 * The language server and the CLI are thin layers over this; nothing here knows LSP or VS Code.
 * This is its façade: the analysis itself lives in host/ (analyse.ts from scratch, the
 * incremental engines and the state the language server keeps in analysis-host.ts).
 */
import type { HaproxyConfig } from './model/haproxy';
import type { AwsConfig } from './model/aws';
import type { AwsInputFile } from './model/aws-build';
import type { BuildOptions, NginxConfig } from './model/nginx';
import type { ConfigFileSystem } from './model/fs';
import { withDefaults, type ServiceOptions } from './options';
import type { Finding } from './types';
import type { DetectedVersion } from './version-detect';
import { analyzeAwsFiles, analyzeHaproxyFiles, analyzeNginxConfig } from './host/analyse';

export { detectLanguage, detectConfigLanguage } from './detect';
export { initAwsParsers, awsParsersReady } from './syntax/aws/treesitter';
export { nginxFileOptions } from './host/analyse';
export { fixBuildCount } from './host/fixes';
export type { ServiceOptions } from './options';

export interface NginxAnalysis {
  language: 'nginx';
  config: NginxConfig;
  findings: Finding[];
  /** The options the rules ran with (the file's version applied): what fixes built later use. */
  options: ServiceOptions;
}

export interface HaproxyAnalysis {
  language: 'haproxy';
  config: HaproxyConfig;
  findings: Finding[];
  options: ServiceOptions;
}

/** ALB/NLB resources of Terraform modules and CloudFormation templates. */
export interface AwsAnalysis {
  language: 'aws';
  config: AwsConfig;
  findings: Finding[];
  options: ServiceOptions;
}

/**
 * 'now': findings carry their fixes (the CLI, tests). 'later': findings carry none, and the fixes
 * of the findings a code action is about are built from the same analysis on demand
 * (host/fixes.ts): the language server's diagnostics build no fix.
 */
export type FixTiming = 'now' | 'later';

export interface LanguageService {
  readonly options: ServiceOptions;
  /** When the rules' fixes are built (see FixTiming). */
  readonly fixTiming: FixTiming;
  /** `oneShot`: no later analysis reuses this one's trees (the CLI's check): nothing is kept for one. */
  analyzeNginx(rootPath: string, fs: ConfigFileSystem, build?: BuildOptions, oneShot?: boolean): NginxAnalysis;
  analyzeHaproxy(files: HaproxyInputFile[]): HaproxyAnalysis;
  /**
   * Terraform (`.tf`, grouped into modules by directory: pass the module's other .tf files too, for
   * variables) and CloudFormation templates. Throws when Terraform is given before `initAwsParsers()`.
   */
  analyzeAws(files: AwsInputFile[]): AwsAnalysis;
}

/**
 * A HAProxy file to analyse. `versionHint`: what its siblings or name say about the version it is
 * written for (version-detect.ts versionHintFor(); the front ends read the disk).
 */
export interface HaproxyInputFile {
  path: string;
  text: string;
  versionHint?: DetectedVersion;
}

export function createLanguageService(
  partial: Partial<ServiceOptions> = {},
  fixTiming: FixTiming = 'now',
): LanguageService {
  const options = withDefaults(partial);
  return {
    options,
    fixTiming,
    analyzeNginx: (rootPath, fs, build, oneShot) =>
      analyzeNginxConfig(options, fixTiming, rootPath, fs, build, oneShot),
    analyzeHaproxy: (files) => analyzeHaproxyFiles(options, fixTiming, files),
    analyzeAws: (files) => analyzeAwsFiles(options, fixTiming, files),
  };
}
