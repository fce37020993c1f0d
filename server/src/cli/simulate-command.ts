/**
 * `wslb simulate <config> --pool <name>`: reads the config, finds its pools and runs the simulator
 * (simulate.ts). The CLI's bundle keeps this command and what only it needs (the simulator) in a
 * file of its own (scripts/build.mjs), loaded by `wslb simulate` alone: it shares no object with
 * the rest of the run but its arguments and the process.
 */
import * as path from 'node:path';
import { awsInputs } from '../service/host/roots';
import { NodeFileSystem, toModelPath } from '../node/nodefs';
import { escapeControls } from '../service/words';
import { runSimulateCommand } from './simulate';
import { detectLanguage } from '../service/detect';
import { buildNginxConfig } from '../service/model/nginx';
import { buildHaproxyConfig } from '../service/model/haproxy';
import { haproxyPools, nginxPools } from '../service/features/pools';
import { awsPools } from '../service/features/aws-pools';
import { awsFormatOf, buildAwsConfig } from '../service/model/aws-build';
import { awsParsersReady } from '../service/syntax/aws/treesitter';
import { type CliIO, UsageError, inCi, includeRoots } from './io';

// the Terraform grammar of this file's copy of the parser, which a `simulate` of a .tf file loads first
export { initAwsParsers } from '../service/syntax/aws/treesitter';

export function simulate(args: string[], io: CliIO): number {
  if (args[0] === '--help' || args[0] === '-h') return runSimulateCommand(['--help'], [], io);
  const file = args[0];
  if (!file || file.startsWith('--'))
    throw new UsageError('simulate needs a config file: wslb simulate <config> --pool <name>');
  const abs = toModelPath(path.resolve(io.cwd, file));
  const fs = new NodeFileSystem();
  const text = fs.readFile(abs);
  if (text === undefined) {
    io.err(`wslb: cannot read ${escapeControls(file)}\n`);
    return 2;
  }
  const awsFormat = awsFormatOf(abs, text);
  if (awsFormat) {
    if (awsFormat === 'terraform' && !awsParsersReady()) {
      io.err('wslb: the Terraform parser is not loaded (initAwsParsers)\n');
      return 2;
    }
    // A Terraform module is its directory: variables may be declared in a sibling file.
    const all = awsPools(buildAwsConfig(awsInputs(fs, [abs])));
    const here = all.filter((p) => p.path === abs);
    return runSimulateCommand(
      args.slice(1),
      (here.length ? here : all).map((p) => p.pool),
      io,
    );
  }
  const language = detectLanguage(abs, text);
  if (!language) {
    io.err(
      `wslb: ${escapeControls(file)} does not look like an nginx or HAProxy config, nor declares AWS load balancer resources\n`,
    );
    return 2;
  }
  const pools =
    language === 'nginx'
      ? nginxPools(buildNginxConfig(abs, fs, { includeRoots: includeRoots([abs], !inCi(io)) }))
      : haproxyPools(buildHaproxyConfig([{ path: abs, text }]));
  return runSimulateCommand(
    args.slice(1),
    pools.map((p) => p.pool),
    io,
  );
}
