import { Parser, type Node as MarkdownNode } from 'commonmark';
import { xmlSafe, xmlText, type XMLBuilder } from './xml.js';

const parser = new Parser({ smart: false });

// Only these link targets survive; anything else (javascript:, data:, relative paths that
// would point into the LMS) keeps its text but loses the link.
const SAFE_URL = /^(?:https?:\/\/|mailto:)/i;

/** Whether `url` may appear as a link in an exported page. */
export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url.trim());
}

const BLOCK_TAGS: Partial<Record<string, string>> = {
  paragraph: 'p',
  block_quote: 'blockquote',
  item: 'li',
  emph: 'em',
  strong: 'strong',
};

/**
 * Appends the Markdown `source` to `parent` as HTML elements. The Markdown is parsed with
 * commonmark and its tree rebuilt through the XML builder, so every text is escaped and raw
 * HTML in the source is shown as text, never passed through. Headings are shifted down by
 * `headingOffset` so they nest under the page's own headings. Iterative, so deeply nested
 * input cannot overflow the stack.
 */
export function appendMarkdown(parent: XMLBuilder, source: string, headingOffset = 2): void {
  const tree = parser.parse(xmlSafe(source));
  appendTree(parent, tree, headingOffset, false);
}

/** Appends Markdown inline text (a prerequisite, a label) without a wrapping paragraph. */
export function appendInlineMarkdown(parent: XMLBuilder, source: string): void {
  const tree = parser.parse(xmlSafe(source));
  appendTree(parent, tree, 2, true);
}

function appendTree(parent: XMLBuilder, tree: MarkdownNode, headingOffset: number, inline: boolean): void {
  const walker = tree.walker();
  const stack: XMLBuilder[] = [parent];
  const top = (): XMLBuilder => stack[stack.length - 1]!;
  let paragraphs = 0;
  for (let event = walker.next(); event !== null; event = walker.next()) {
    const node = event.node;
    if (node.type === 'document') continue;
    if (!event.entering) {
      if (node.type === 'paragraph' && (inline || inTightList(node))) continue;
      stack.pop();
      continue;
    }
    switch (node.type) {
      case 'text':
        top().txt(xmlText(node.literal ?? ''));
        break;
      case 'softbreak':
        top().txt('\n');
        break;
      case 'linebreak':
        top().ele('br');
        break;
      case 'code':
        top().ele('code').txt(xmlText(node.literal ?? ''));
        break;
      case 'code_block':
        top().ele('pre').ele('code').txt(xmlText(node.literal ?? ''));
        break;
      case 'html_inline':
        top().txt(xmlText(node.literal ?? ''));
        break;
      case 'html_block':
        top().ele('p').txt(xmlText(node.literal ?? ''));
        break;
      case 'thematic_break':
        top().ele('hr');
        break;
      case 'heading':
        stack.push(top().ele(`h${Math.min(6, (node.level ?? 1) + headingOffset)}`));
        break;
      case 'list': {
        const attrs: Record<string, string> = {};
        if (node.listType === 'ordered' && node.listStart !== null && node.listStart !== 1) attrs.start = String(node.listStart);
        stack.push(top().ele(node.listType === 'ordered' ? 'ol' : 'ul', attrs));
        break;
      }
      case 'link':
      case 'image': {
        const url = node.destination ?? '';
        if (isSafeUrl(url)) {
          const attrs: Record<string, string> = { href: xmlText(url.trim()) };
          if (node.title) attrs.title = xmlText(node.title);
          stack.push(top().ele('a', attrs));
        } else {
          stack.push(top().ele('span'));
        }
        break;
      }
      case 'paragraph':
        if (inline) {
          // Inline text that happens to hold several paragraphs keeps them apart.
          if (paragraphs++ > 0) top().txt(' ');
          break;
        }
        // Tight list items hold their text directly, as commonmark's own renderer does.
        if (!inTightList(node)) stack.push(top().ele('p'));
        break;
      default: {
        const tag = BLOCK_TAGS[node.type];
        // Unknown container types (custom blocks) still need a frame for their exit event.
        stack.push(tag ? top().ele(tag) : top().ele('div'));
      }
    }
  }
}

function inTightList(paragraph: MarkdownNode): boolean {
  const list = paragraph.parent?.parent;
  return list?.type === 'list' && list.listTight;
}
