import { haproxyEffective, type HaproxyEffective, type HaproxyProxy } from '../../model/haproxy';

/**
 * The balance algorithm a backend uses: its own or inherited `balance` line (`eff`), else
 * HAProxy's default, roundrobin (also for `no balance` and a `balance` without a value).
 */
export function balanceOf(proxy: HaproxyProxy): { eff: HaproxyEffective | null; algo: string } {
  const eff = haproxyEffective(proxy, ['balance']);
  return { eff, algo: eff && !eff.negated ? (eff.values[0] ?? 'roundrobin') : 'roundrobin' };
}
