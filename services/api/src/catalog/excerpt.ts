import { markdownToPlainText } from '@learnpath/content';

/** The longest excerpt, in characters (without the ellipsis). */
export const EXCERPT_LENGTH = 200;

/**
 * The start of a Markdown text as plain text: the first paragraph as a reader sees it (its
 * parsed text), cut at a word boundary to at most `max` characters plus an ellipsis.
 * It is a preview for listings, not a Markdown renderer.
 */
export function excerptOf(markdown: string, max = EXCERPT_LENGTH): string {
  // Only the start matters, and a bounded input keeps the patterns below linear in practice.
  const paragraph = (markdown.trim().split(/\n\s*\n/, 1)[0] ?? '').slice(0, max * 10);
  const text = markdownToPlainText(paragraph).replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}
