import type { NginxRule } from '../rule';
import { wsHttpVersion } from './ws-http-version';

export const nginxRules: NginxRule[] = [wsHttpVersion];
