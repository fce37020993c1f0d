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

export function sourcePointer(section: SourceSection): string {
  return `Source: ${section}`;
}
