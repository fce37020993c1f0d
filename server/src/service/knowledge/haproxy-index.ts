/** The lookup maps of a HAProxy keyword table (knowledge/haproxy.ts). */
import type { HaproxyKbData, HaproxyKeywordDoc, HaproxyProxyKeyword, HaproxyTableExtras } from './haproxy';

const byName = <T extends { name: string }>(list: readonly T[]) => new Map(list.map((x) => [x.name, x] as const));

/** The lookup maps of a table (built on its first lookup: a run that checks only nginx needs none). */
export interface HaproxyTableIndex {
  globalMap: Map<string, HaproxyKeywordDoc>;
  proxyMap: Map<string, HaproxyProxyKeyword>;
  bindMap: Map<string, HaproxyKeywordDoc>;
  serverMap: Map<string, HaproxyKeywordDoc>;
  sectionMaps: Map<string, Map<string, HaproxyKeywordDoc>>;
  actionMaps: Map<string, Map<string, HaproxyKeywordDoc>>;
  proxyKeywordGroups: ReadonlySet<string>;
  longerProxyKeywords: ReadonlySet<string>;
}

export function indexTable(data: HaproxyKbData, extras: HaproxyTableExtras): HaproxyTableIndex {
  const proxyMap = byName([...data.proxy, ...(extras.proxy ?? [])]);
  // Keywords of three words or more (`capture request header <name> len <n>`) by their first
  // two: the validator resolves a keyword by its first two words (resolveProxyKeyword2()).
  for (const row of data.proxy) {
    const w = row.name.split(' ');
    if (w.length > 2 && !proxyMap.has(`${w[0]} ${w[1]}`)) proxyMap.set(`${w[0]} ${w[1]}`, row);
  }
  const bindMap = byName(data.bindOptions);
  const serverMap = byName(data.serverOptions);
  // An option the manual heads with its argument (2.6: `expose-fd listeners`) is the option's first word.
  for (const m of [bindMap, serverMap])
    for (const [name, o] of [...m]) if (name.includes(' ') && !m.has(name.split(' ')[0])) m.set(name.split(' ')[0], o);
  return {
    globalMap: byName(data.global),
    proxyMap,
    bindMap,
    serverMap,
    sectionMaps: new Map(Object.entries(data.sections).map(([k, v]) => [k, byName(v.keywords)] as const)),
    actionMaps: new Map(Object.entries(data.actions).map(([k, v]) => [k, byName(v)] as const)),
    proxyKeywordGroups: new Set(
      data.proxy
        .filter((p) => p.name.includes(' '))
        .map((p) => p.name.split(' ')[0])
        .filter((first) => !proxyMap.has(first)),
    ),
    longerProxyKeywords: new Set(data.proxy.filter((p) => p.name.includes(' ')).map((p) => p.name.split(' ')[0])),
  };
}
