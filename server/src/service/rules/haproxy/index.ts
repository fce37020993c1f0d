import type { HaproxyRule } from '../rule';
import { wsMissingTimeoutTunnel } from './ws-missing-timeout-tunnel';

export const haproxyRules: HaproxyRule[] = [wsMissingTimeoutTunnel];
