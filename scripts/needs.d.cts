/** Types of scripts/needs.cjs (what the suites need from outside the repository). */
export interface NeedSpec {
  id: string;
  name: string;
  find(): string | undefined;
  apt: string[];
  how: string;
  for: string;
}
export const REPO: string;
export function onPath(name: string, env?: NodeJS.ProcessEnv): string | undefined;
export function sharedDir(env?: NodeJS.ProcessEnv): string;
export function e2eCacheDir(env?: NodeJS.ProcessEnv): string;
export function findChromium(): string | undefined;
export function missingE2ePackages(): string[];
export const NEEDS: NeedSpec[];
