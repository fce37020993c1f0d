/**
 * package.json's `contributes.configuration`, made from the one table of settings
 * (common/settings.ts) and, for `wslb.rules`, every rule and check id of the registry with its
 * one-line summary (the Settings editor and settings.json then suggest the ids).
 * `npx tsx scripts/gen-rule-docs.ts` writes it with docs/rules.md; test/client/settings.test.ts
 * fails when package.json differs.
 */
import { SETTINGS, SETTINGS_SECTION, SETTINGS_TITLE, RULE_SEVERITIES } from '../common/settings';
import { allCodes } from '../server/src/service/codes';

/** A summary as plain text (the Settings editor shows descriptions raw), at most 200 characters. */
function summary(short: string): string {
  const plain = short.replace(/`/g, '').replace(/\s+/g, ' ').trim();
  if (plain.length <= 200) return plain;
  return `${plain.slice(0, 199).replace(/\s+\S*$/, '')}…`;
}

export function renderConfiguration(): { title: string; properties: Record<string, unknown> } {
  const properties: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SETTINGS)) {
    const p: Record<string, unknown> = { ...spec };
    if (name === 'rules') {
      // The known ids, each with the severities; unknown ids are refused (a typo would do nothing).
      p.properties = Object.fromEntries(
        allCodes().map((c) => [c.id, { type: 'string', enum: [...RULE_SEVERITIES], description: summary(c.short) }]),
      );
      p.additionalProperties = false;
    }
    properties[`${SETTINGS_SECTION}.${name}`] = p;
  }
  return { title: SETTINGS_TITLE, properties };
}

/** package.json's text with `contributes.configuration` rendered (key order and formatting kept). */
export function renderManifest(current: string): string {
  const pkg = JSON.parse(current) as { contributes: Record<string, unknown> };
  pkg.contributes.configuration = renderConfiguration();
  return JSON.stringify(pkg, null, 2) + '\n';
}
