import { Parser, type Node } from 'commonmark';

const parser = new Parser();

/**
 * The text a reader sees in a piece of Markdown: blocks separated by blank lines, formatting
 * and HTML tags dropped, code, link and image text kept as written. Characters that only look
 * like syntax (`snake_case`, `2*3*4`) stay, because the text comes from the parsed document.
 */
export function markdownToPlainText(markdown: string): string {
  const blocks: string[] = [];
  collectBlocks(parser.parse(markdown), blocks);
  return blocks.filter((b) => b !== '').join('\n\n');
}

function collectBlocks(node: Node, out: string[]): void {
  for (let child = node.firstChild; child !== null; child = child.next) {
    switch (child.type) {
      case 'paragraph':
      case 'heading':
        out.push(inlineText(child).trim());
        break;
      case 'code_block':
        out.push((child.literal ?? '').trimEnd());
        break;
      case 'html_block':
      case 'thematic_break':
        break;
      default:
        collectBlocks(child, out);
    }
  }
}

function inlineText(node: Node): string {
  let out = '';
  for (let child = node.firstChild; child !== null; child = child.next) {
    switch (child.type) {
      case 'text':
      case 'code':
        out += child.literal ?? '';
        break;
      case 'softbreak':
      case 'linebreak':
        out += ' ';
        break;
      case 'html_inline':
        break;
      case 'emph':
      case 'strong': {
        // Emphasis inside a word ("2*3*4") can only be written with "*"; in prose it is almost
        // always arithmetic or a name, so its asterisks are kept as the reader typed them.
        const marker = isIntraword(child) ? (child.type === 'emph' ? '*' : '**') : '';
        out += `${marker}${inlineText(child)}${marker}`;
        break;
      }
      default:
        out += inlineText(child);
    }
  }
  return out;
}

function isIntraword(node: Node): boolean {
  const before = node.prev?.type === 'text' ? (node.prev.literal ?? '') : '';
  const after = node.next?.type === 'text' ? (node.next.literal ?? '') : '';
  return /[\p{L}\p{N}]$/u.test(before) && /^[\p{L}\p{N}]/u.test(after);
}
