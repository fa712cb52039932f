import type { Node } from 'commonmark';

/** Whether a block is an HTML comment, which the format ignores between blocks. */
export function isComment(block: Node): boolean {
  return block.type === 'html_block' && /^\s*<!--[\s\S]*-->\s*$/.test(block.literal ?? '');
}

/** A block's kind in words, for messages. */
export function describeBlock(block: Node): string {
  switch (block.type) {
    case 'paragraph':
      return 'paragraph';
    case 'list':
      return block.listType === 'ordered' ? 'numbered list' : 'bullet list';
    case 'heading':
      return `level-${block.level} heading`;
    case 'code_block':
      return 'code block';
    case 'block_quote':
      return 'block quote';
    case 'html_block':
      return 'HTML block';
    case 'thematic_break':
      return 'horizontal rule';
    default:
      return block.type.replace(/_/g, ' ');
  }
}

/** Calls `visit` with the destination of every link inside a node. */
export function forEachLink(node: Node, visit: (destination: string) => void): void {
  const walker = node.walker();
  for (let step = walker.next(); step !== null; step = walker.next()) {
    if (step.entering && step.node.type === 'link') visit(step.node.destination ?? '');
  }
}
