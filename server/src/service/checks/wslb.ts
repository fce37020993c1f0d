/** Codes of wslb itself (not of a config language). One entry per code, in alphabetical order. */
import type { CheckDef } from './check';

export const WSLB_CHECKS = [
  {
    id: 'wslb/internal',
    severity: 'error',
    short: 'a wslb rule failed on this config (a bug in wslb)',
    long: 'One rule threw an error; the other findings are complete. Please report it with the config (or the smallest part that shows it). Turning the code off hides the report, not the failure.',
  },
  {
    id: 'wslb/too-large',
    severity: 'information',
    short: 'the editor skipped a file too large to analyse while typing',
    long: 'The language server does not analyse files above its size limit, so that typing stays responsive. `wslb check` on the command line reads them.',
  },
] as const satisfies readonly CheckDef[];
