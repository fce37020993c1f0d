/** Codes of wslb itself (not of a config language). One entry per code, in alphabetical order. */
import type { CheckDef } from './check';

export const WSLB_CHECKS = [
  {
    id: 'wslb/internal',
    severity: 'error',
    short: 'a wslb rule failed on this config (a bug in wslb)',
  },
  {
    id: 'wslb/too-large',
    severity: 'information',
    short: 'the editor skipped a file too large to analyse while typing',
  },
] as const satisfies readonly CheckDef[];
