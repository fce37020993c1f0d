/** The model's file access on a real disk. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigFileSystem } from '../service/model/fs';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

export class NodeFileSystem implements ConfigFileSystem {
  private readonly cache = new Map<string, string | undefined>();
  readFile(p: string): string | undefined {
    if (this.cache.has(p)) return this.cache.get(p);
    let text: string | undefined;
    try {
      const st = fs.statSync(p);
      if (st.isFile() && st.size <= MAX_FILE_BYTES) text = fs.readFileSync(p, 'utf8');
    } catch {
      text = undefined;
    }
    this.cache.set(p, text);
    return text;
  }
  readDir(p: string): string[] | undefined {
    try {
      return fs.readdirSync(p);
    } catch {
      return undefined;
    }
  }
}

/** Absolute, "/"-separated. */
export function toModelPath(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}

/** nginx/HAProxy names, and Terraform/CloudFormation (analysed only when they declare ALB/NLB resources). */
const CANDIDATE = /\.(conf|cfg|nginx|haproxy|vhost|inc|tf|ya?ml|json|template)$|^(nginx\.conf|haproxy\.cfg)$/i;

/** Files under the given paths that could be configs (content decides later). Bounded. */
export function collectFiles(inputs: string[], limit = 20_000): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const walk = (p: string, explicit: boolean, depth: number) => {
    if (files.length >= limit || depth > 24) return;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      if (explicit) missing.push(p);
      return;
    }
    const real = toModelPath(p);
    if (seen.has(real)) return;
    seen.add(real);
    if (st.isDirectory()) {
      const base = path.basename(p);
      if (!explicit && (base === 'node_modules' || base.startsWith('.'))) return;
      let names: string[];
      try {
        names = fs.readdirSync(p).sort();
      } catch {
        return;
      }
      for (const n of names) walk(path.join(p, n), false, depth + 1);
    } else if (st.isFile()) {
      const base = path.basename(p);
      const inSites = /sites-(available|enabled)$/.test(path.basename(path.dirname(p)));
      if (explicit || CANDIDATE.test(base) || inSites) files.push(real);
    }
  };
  for (const i of inputs) walk(i, true, 0);
  return { files, missing };
}
