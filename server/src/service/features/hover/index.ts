/**
 * Hover content for nginx and HAProxy configs: the knowledge base's documentation of the word under
 * the cursor, a WebSocket note (docs/ws-notes.ts), and what THIS config makes of it — the effective
 * value and where it comes from, compared with the heartbeat; upstream/backend summaries; the map
 * behind a variable; normalised time and size values; and the long explanation of any rule whose
 * finding covers the cursor (the same text as `wslb explain`). AWS: aws.ts.
 *
 * Pure: no LSP types. The server converts `span` to a range in the hovered document.
 */
import { awsHover } from './aws';
import type { HoverInput, HoverResult } from './common';
import { haproxyHover } from './haproxy';
import { nginxHover } from './nginx';

export { EXPLAIN_COMMAND_ID, explainLink, SIMULATE_COMMAND_ID, type HoverInput, type HoverResult } from './common';
export { firstSentences, HOVER_BUDGET } from './budget';

export function doHover(input: HoverInput): HoverResult | null {
  try {
    if (input.language === 'aws') return awsHover(input);
    return input.language === 'nginx' ? nginxHover(input) : haproxyHover(input);
  } catch {
    // Hovers are best effort: a surprise in an odd config must not break the editor.
    return null;
  }
}
