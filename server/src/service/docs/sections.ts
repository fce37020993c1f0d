/**
 * Titles of the sections of the source material ("Load Balancing WebSocket", kept beside the
 * project as shared/source-material.md). Rule docs and hover notes point to one of these; a test
 * checks every title still exists in the source material.
 */
export const SOURCE_SECTIONS = [
  'L4 vs L7 for WebSocket',
  'Sticky sessions and balancing algorithms',
  'Health checks and connection draining',
  'Production config: nginx + AWS ALB',
  'Key takeaways',
] as const;

export type SourceSection = (typeof SOURCE_SECTIONS)[number];

/** The guide the sections belong to, as a reader knows it. */
export const GUIDE_TITLE = 'Load balancing WebSocket';

/**
 * Where a fact comes from, said to the user: "From the guide *Load balancing WebSocket*, section
 * “L4 vs L7 for WebSocket”" (Markdown), or with plain quotes for the terminal.
 */
export function sourcePointer(section: SourceSection, markdown = true): string {
  return markdown
    ? `From the guide *${GUIDE_TITLE}*, section “${section}”`
    : `From the guide "${GUIDE_TITLE}", section "${section}"`;
}
