/**
 * What the commands of wslb.ts and simulate-command.ts share: the process they run in (output,
 * working folder, environment), usage errors, and where nginx includes may lead.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { ConfigFileSystem } from '../service/model/fs';
import { toModelPath } from '../node/nodefs';

export interface CliIO {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
  isTTY: boolean;
  /** The environment (CI=true changes a default); process.env when absent. */
  env?: Record<string, string | undefined>;
  /** Where `check` reads configs; the disk (NodeFileSystem) when absent. Tests confine it. */
  fs?: ConfigFileSystem;
}

/** Set by CI services (GitHub Actions, GitLab CI... export CI=true). */
export function inCi(io: CliIO): boolean {
  const v = (io.env ?? process.env).CI;
  return !!v && v !== 'false' && v !== '0';
}

/**
 * Where nginx includes may lead: undefined (anywhere) when following is allowed, else the
 * checked folders and the folder of each checked file (where its relative includes resolve),
 * each by its name and by where its symbolic links lead.
 */
export function includeRoots(inputs: string[], follow: boolean): string[] | undefined {
  if (follow) return undefined;
  const out = new Set<string>();
  for (const i of inputs) {
    let dir = i;
    try {
      if (!nodeFs.statSync(i).isDirectory()) dir = path.dirname(i);
    } catch {
      dir = path.dirname(i);
    }
    out.add(toModelPath(dir));
    try {
      out.add(toModelPath(nodeFs.realpathSync(dir)));
    } catch {
      // a missing folder has no real path
    }
  }
  return [...out];
}

/**
 * A mistake in the command line: `main` prints it with the usage. Recognised by its name
 * (isUsageError): `wslb simulate` runs from a bundle file of its own, with a copy of this class.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const isUsageError = (e: unknown): e is Error => e instanceof Error && e.name === 'UsageError';
