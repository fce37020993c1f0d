/**
 * wslb — the command-line twin of the editor extension.
 *   wslb check [files or folders...] [--format text|json|sarif] [--nginx-version X]
 *              [--haproxy-version X] [--heartbeat 30s] [--rule id=off|error|warning|info] [--fix]
 *   wslb explain <rule-id>
 *   wslb rules
 * Exit codes: 0 no error-level findings, 1 error-level findings, 2 bad usage or unreadable input.
 */
import { haproxyTarget } from '../service/knowledge/haproxy-tables';
import { nginxTarget } from '../service/knowledge/nginx';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { ServiceOptions } from '../service';
import { severityOfWord } from '../service/options';
import { ALL_CHECKS } from '../service/checks';
import { knownCode } from '../service/codes';
import { ALL_RULES } from '../service/rules';
import { parseNginxTime } from '../service/model/units';
import { AnalysisHost } from '../service/host/analysis-host';
import type { ConfigLanguage, Finding, Severity } from '../service/types';
import type { ConfigFileSystem } from '../service/model/fs';
import { applyEdits, collectFixEdits } from '../service/fixes/apply';
import { collectFiles, NodeFileSystem, toModelPath, whyUnreadable } from '../node/nodefs';
import { formatJson, formatSarif, formatText } from './format';
import { escapeControls } from '../service/words';
import { explainRule } from './explain';
import { looksBinary } from '../service/detect';
import { initAwsParsers } from '../service/syntax/aws/treesitter';
import { type CliIO, UsageError, inCi, includeRoots, isUsageError } from './io';
import type * as simulateCommand from './simulate-command';

export type { CliIO } from './io';

/** The `simulate` command, required on its first use (for the bundle: a file of its own, scripts/build.mjs). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulator = (): typeof simulateCommand => require('./simulate-command') as typeof simulateCommand;

declare const WSLB_VERSION: string | undefined;
const VERSION = typeof WSLB_VERSION === 'string' ? WSLB_VERSION : '0.1.0';

const USAGE = `Usage:
  wslb check [files or folders...] [options]   find WebSocket pitfalls (default: current folder)
  wslb explain <rule-id>                       the long explanation of a rule
  wslb rules                                   list the rules
  wslb simulate <config> --pool <name> [...]   simulate balancing of one upstream/backend/target group

check options:
  --format text|json|sarif     output format (default text)
  --nginx-version X            target nginx version (default 1.22.1)
  --haproxy-version X          target HAProxy version (default 2.6.12)
  --heartbeat 30s              the application's WebSocket heartbeat interval
  --rule id=off|error|warning|info|hint   change a rule's severity (repeatable)
  --language nginx|haproxy|aws skip content detection (aws: Terraform/CloudFormation
                               files that declare ALB/NLB resources)
  --no-color                   plain text output
  --fix                        apply the safe fixes (no value guessed) to the checked files,
                               then report what is left; suggestions are never applied
  --follow-outside-includes    read nginx includes that lead outside the checked folders
                               (default, except when CI=true is set)
  --no-follow-outside-includes never read them: a finding names each include not followed
`;

interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

function parseArgs(args: string[], valued: Set<string>, booleans: Set<string>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (booleans.has(name)) {
        flags.set(name, ['true']);
        continue;
      }
      if (!valued.has(name)) throw new UsageError(`unknown option --${name}`);
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positional.push(a);
  }
  return { positional, flags };
}

function one(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

function serviceOptions(p: ParsedArgs): Partial<ServiceOptions> {
  const opts: Partial<ServiceOptions> = {};
  const nv = one(p, 'nginx-version');
  if (nv) {
    if (!/^\d+\.\d+(\.\d+)?$/.test(nv)) throw new UsageError(`--nginx-version: "${nv}" is not a version like 1.22.1`);
    const t = nginxTarget(nv);
    if (!t.ok) throw new UsageError(`--nginx-version: ${t.message}`);
    opts.nginxVersion = nv;
    opts.nginxVersionSet = true;
  }
  const hv = one(p, 'haproxy-version');
  if (hv) {
    if (!/^\d+\.\d+(\.\d+)?$/.test(hv)) throw new UsageError(`--haproxy-version: "${hv}" is not a version like 2.6`);
    opts.haproxyVersion = hv;
    opts.haproxyVersionSet = true;
  }
  const hb = one(p, 'heartbeat');
  if (hb) {
    const ms = parseNginxTime(hb);
    if (!ms) throw new UsageError(`--heartbeat: "${hb}" is not a duration like 30s or 1m`);
    opts.heartbeatMs = ms;
    opts.heartbeatSet = true;
  }
  const sev: Record<string, Severity | 'off'> = {};
  for (const r of p.flags.get('rule') ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(r);
    if (!m) throw new UsageError(`--rule: expected id=off|error|warning|info, got "${r}"`);
    if (!knownCode(m[1])) throw new UsageError(`--rule: no rule or check "${m[1]}" (see \`wslb rules\`)`);
    const s = severityOfWord(m[2]);
    if (!s) throw new UsageError(`--rule: "${m[2]}" is not off, error, warning, info or hint`);
    sev[m[1]] = s;
  }
  opts.ruleSeverity = sev;
  return opts;
}

function parseCheckArgs(args: string[]): ParsedArgs {
  return parseArgs(
    args,
    new Set(['format', 'nginx-version', 'haproxy-version', 'heartbeat', 'rule', 'language']),
    new Set(['no-color', 'follow-outside-includes', 'no-follow-outside-includes', 'fix']),
  );
}

/** The files and folders `check` reads: those named, else the working folder. */
function checkInputs(p: ParsedArgs, io: CliIO): string[] {
  return p.positional.length ? p.positional.map((x) => path.resolve(io.cwd, x)) : [io.cwd];
}

function check(args: string[], io: CliIO): number {
  const p = parseCheckArgs(args);
  if (p.flags.has('follow-outside-includes') && p.flags.has('no-follow-outside-includes'))
    throw new UsageError('--follow-outside-includes and --no-follow-outside-includes exclude each other');
  // A pull request checked in CI must not make wslb print the runner's files: confined by default there.
  const follow = p.flags.has('follow-outside-includes') || (!p.flags.has('no-follow-outside-includes') && !inCi(io));
  const format = one(p, 'format') ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format))
    throw new UsageError(`--format: "${format}" is not text, json or sarif`);
  const languageArg = one(p, 'language');
  if (languageArg && languageArg !== 'nginx' && languageArg !== 'haproxy' && languageArg !== 'aws')
    throw new UsageError(`--language: "${languageArg}" is not nginx, haproxy or aws`);
  const language = languageArg as ConfigLanguage | undefined;
  const options = serviceOptions(p);
  const hv = one(p, 'haproxy-version');
  if (hv) {
    // said once per run: a version wslb has no table for is checked against the nearest older
    // one, or (older than the oldest) not checked; each file also says so (haproxy/version-unsupported)
    const t = haproxyTarget(hv);
    if (!t.ok) io.err(`wslb: --haproxy-version ${escapeControls(hv)}: ${t.message}\n`);
    else if (t.note) io.err(`wslb: --haproxy-version ${escapeControls(hv)}: ${t.note}\n`);
  }
  const nv = one(p, 'nginx-version');
  const nt = nv ? nginxTarget(nv) : undefined;
  if (nv && nt?.ok && nt.note) io.err(`wslb: --nginx-version ${escapeControls(nv)}: ${nt.note}\n`);
  const inputs = checkInputs(p, io);
  const { files, missing, skipped } = collectFiles(inputs);
  if (missing.length) {
    for (const m of missing) io.err(`wslb: cannot read ${escapeControls(m)}: no such file or folder\n`);
    return 2;
  }
  const fs = io.fs ?? new NodeFileSystem();
  const unreadable = files.filter((f) => fs.readFile(f) === undefined);
  if (unreadable.length && p.positional.length) {
    for (const u of unreadable) io.err(`wslb: cannot read ${escapeControls(u)}: ${unreadableReason(u)}\n`);
    return 2;
  }
  for (const u of unreadable) skipped.push({ path: u, why: `cannot read it: ${unreadableReason(u)}`, explicit: false });
  const explicit = new Set(inputs.map(toModelPath));
  const roots = includeRoots(inputs, follow);
  if (p.flags.has('fix')) {
    const written = applySafeFixes(options, fs, files, language, roots);
    for (const w of written) {
      const rel = path.relative(io.cwd, w);
      io.err(`wslb: fixed ${escapeControls(rel && !rel.startsWith('..') ? rel : w)}\n`);
    }
  }
  // The CLI is an analysis host without edits: the same analyses as the language server's.
  const result = new AnalysisHost({ fs, options }).check(files, language, roots);
  // Say what was not checked and why, in every format (on stderr: stdout stays JSON or SARIF).
  for (const f of files) {
    if (result.languages.has(f)) continue;
    const text = fs.readFile(f);
    if (text === undefined) continue;
    const named = explicit.has(f);
    if (looksBinary(text)) skipped.push({ path: f, why: 'binary data, not a text config', explicit: named });
    // Terraform, YAML and JSON files that declare no load balancer are context (a module's
    // variables) or something else: nothing to check, not a skipped input.
    else if (named && !language && !AWS_NAME.test(f))
      skipped.push({
        path: f,
        why: 'does not look like an nginx or HAProxy config (pass --language nginx or haproxy to check it anyway)',
        explicit: true,
      });
    else if (named && language)
      skipped.push({ path: f, why: `declares no AWS load balancer resources`, explicit: true });
  }
  for (const k of skipped) io.err(`wslb: skipped ${escapeControls(k.path)}: ${k.why}\n`);
  if (result.languages.size === 0 && format === 'text' && skipped.length === 0)
    io.err(
      `wslb: no nginx or HAProxy config, nor Terraform/CloudFormation declaring ALB/NLB resources, found in ${inputs.map((i) => escapeControls(i)).join(', ')}\n`,
    );
  const findings = result.findings;
  if (format === 'json') io.out(formatJson(findings));
  else if (format === 'sarif') io.out(formatSarif(findings, VERSION));
  else io.out(formatText(findings, io.cwd, io.isTTY && !p.flags.has('no-color')));
  if (skipped.some((k) => k.explicit)) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/**
 * `--fix`: apply the safe fixes (rules/fix-classes.ts) of findings in the checked files, re-check
 * and repeat until nothing changes, then write the files that changed. A fix that would edit a
 * file outside the checked ones (an include elsewhere) is left out. Returns the written paths.
 */
function applySafeFixes(
  options: Partial<ServiceOptions>,
  fs: ConfigFileSystem & { forget?(paths: string[]): void },
  files: string[],
  language: ConfigLanguage | undefined,
  roots: readonly string[] | undefined,
): string[] {
  const checked = new Set(files);
  const current = new Map<string, string>();
  const view: ConfigFileSystem = {
    readFile: (q) => current.get(q) ?? fs.readFile(q),
    readDir: (q) => fs.readDir(q),
    refusal: (q) => fs.refusal?.(q),
    realPath: (q) => fs.realPath?.(q),
    size: fs.size && ((q) => fs.size?.(q)),
  };
  const host = new AnalysisHost({ fs: view, options });
  for (let round = 0; round < 8; round++) {
    const { findings } = host.check(files, language, roots);
    const confined = (f: Finding) =>
      f.fixes.some((x) => x.kind === 'safe') &&
      f.fixes.every((x) => x.kind !== 'safe' || x.edits.every((e) => checked.has(e.file)));
    let progressed = false;
    for (const [file, edits] of collectFixEdits(findings, confined, true)) {
      const before = view.readFile(file);
      if (before === undefined) continue;
      const after = applyEdits(before, edits);
      if (after !== before) {
        current.set(file, after);
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  const written: string[] = [];
  for (const [file, text] of current) {
    if (text === fs.readFile(file)) continue;
    nodeFs.writeFileSync(file, text);
    written.push(file);
  }
  fs.forget?.(written);
  return written;
}

/** Terraform, CloudFormation (YAML/JSON) names: checked only when they declare load balancers. */
const AWS_NAME = /\.(tf|tf\.json|ya?ml|json|template)$/i;

/** Why a file that exists could not be read. */
function unreadableReason(p: string): string {
  try {
    nodeFs.closeSync(nodeFs.openSync(p, nodeFs.constants.O_RDONLY | (nodeFs.constants.O_NONBLOCK ?? 0)));
  } catch (e) {
    return whyUnreadable(e);
  }
  return 'larger than wslb reads (64 MB)';
}

export function main(argv: string[], io: CliIO): number {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'check':
        return check(rest, io);
      case 'explain': {
        if (!rest[0]) throw new UsageError('explain needs a rule id (see `wslb rules`)');
        const text = explainRule(rest[0]);
        if (!text) {
          io.err(`wslb: no rule or check "${rest[0]}" (see \`wslb rules\`)\n`);
          return 2;
        }
        io.out(text);
        return 0;
      }
      case 'rules':
        for (const r of ALL_RULES)
          io.out(`${r.meta.id.padEnd(42)} ${r.meta.severity.padEnd(11)} ${r.meta.docs.short}\n`);
        io.out('\nValidity checks (syntax, directives and keywords, versions, includes):\n');
        for (const c of ALL_CHECKS) io.out(`${c.id.padEnd(42)} ${c.severity.padEnd(11)} ${c.short}\n`);
        return 0;
      case 'simulate':
        return simulator().simulate(rest, io);
      case '--version':
      case '-v':
        io.out(VERSION + '\n');
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    if (isUsageError(e)) {
      io.err(`wslb: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`wslb: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

const isTerraformPath = (p: string): boolean => p.toLowerCase().endsWith('.tf');

/**
 * Does this command read a Terraform file? Only then is the Terraform grammar loaded (WebAssembly,
 * asynchronous, a cost every other run would pay at start-up). A usage error reads nothing: main
 * reports it.
 */
export function readsTerraform(argv: string[], io: CliIO): boolean {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'simulate') return isTerraformPath(rest[0] ?? '');
    if (cmd !== 'check') return false;
    return collectFiles(checkInputs(parseCheckArgs(rest), io)).files.some(isTerraformPath);
  } catch {
    return false;
  }
}

/** `main`, with the Terraform grammar loaded first when the command needs it. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  if (readsTerraform(argv, io))
    await (argv[0] === 'simulate' ? simulator().initAwsParsers() : initAwsParsers()).catch(() => undefined);
  return main(argv, io);
}

/**
 * Is `fd` a terminal? (Asked of Node's tty module, which loads its stream and socket modules: only
 * for a character device other than /dev/null.)
 */
function isTerminal(fd: 1 | 2): boolean {
  try {
    const st = nodeFs.fstatSync(fd);
    if (!st.isCharacterDevice() || (process.platform !== 'win32' && st.rdev === nodeFs.statSync('/dev/null').rdev))
      return false;
  } catch {
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Writes all of `s` to file descriptor `fd` at once. A pipe or a file, the common case of `check`
 * in scripts and CI, gets no Node stream (process.stdout would load Node's stream and socket
 * modules, a fair part of a small check's run); a terminal keeps Node's stream (its console
 * output on Windows). A reader that went away (`wslb rules | head`) ends the run quietly, as Unix
 * tools do, instead of an EPIPE with a stack trace.
 */
function writer(fd: 1 | 2): (s: string) => void {
  const quietOnEpipe = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  };
  if (isTerminal(fd)) {
    const stream = fd === 1 ? process.stdout : process.stderr;
    stream.on('error', quietOnEpipe);
    return (s) => void stream.write(s);
  }
  return (s) => {
    const bytes = Buffer.from(s, 'utf8');
    for (let done = 0; done < bytes.length;)
      try {
        done += nodeFs.writeSync(fd, bytes, done);
      } catch (e) {
        // a full pipe that another program left non-blocking: wait a millisecond for its reader
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN')
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        else quietOnEpipe(e as NodeJS.ErrnoException);
      }
  };
}

/** Run the command of this process's arguments (dist/cli/wslb.js, bin.ts, calls it). */
export function start(): void {
  void run(process.argv.slice(2), {
    out: writer(1),
    err: writer(2),
    cwd: process.cwd(),
    get isTTY() {
      return isTerminal(1); // read by the text format alone
    },
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) start();
