import { Fragment, type ReactNode } from 'react';
import { Parser, type Node as MarkdownNode } from 'commonmark';

const parser = new Parser({ smart: true });
// Only these link targets become links; anything else (javascript:, data:) keeps its text.
const SAFE_URL = /^(?:https?:\/\/|mailto:)/i;
// Deeper nesting than this is flattened to its text, so hostile input cannot exhaust the stack.
const MAX_DEPTH = 40;

function children(node: MarkdownNode, depth: number, headingOffset: number): ReactNode[] {
  const out: ReactNode[] = [];
  let i = 0;
  for (let child = node.firstChild; child !== null; child = child.next) out.push(<Fragment key={i++}>{convert(child, depth + 1, headingOffset)}</Fragment>);
  return out;
}

function textOf(node: MarkdownNode): string {
  const walker = node.walker();
  let text = '';
  for (let e = walker.next(); e !== null; e = walker.next()) if (e.entering && e.node.literal) text += e.node.literal;
  return text;
}

function convert(node: MarkdownNode, depth: number, headingOffset: number): ReactNode {
  if (depth > MAX_DEPTH) return textOf(node);
  const inner = (): ReactNode[] => children(node, depth, headingOffset);
  switch (node.type) {
    case 'text':
    case 'html_inline':
      return node.literal ?? '';
    case 'softbreak':
      return '\n';
    case 'linebreak':
      return <br />;
    case 'code':
      return <code>{node.literal ?? ''}</code>;
    case 'code_block':
      return (
        <pre>
          <code>{node.literal ?? ''}</code>
        </pre>
      );
    case 'html_block':
      return <p>{node.literal ?? ''}</p>;
    case 'thematic_break':
      return <hr />;
    case 'paragraph':
      // A tight list's paragraphs read as plain list items.
      return node.parent?.parent?.type === 'list' && node.parent.parent.listTight ? <>{inner()}</> : <p>{inner()}</p>;
    case 'heading': {
      const level = Math.min(6, (node.level ?? 1) + headingOffset);
      const Tag = `h${level}` as 'h3';
      return <Tag>{inner()}</Tag>;
    }
    case 'block_quote':
      return <blockquote>{inner()}</blockquote>;
    case 'list':
      return node.listType === 'ordered' ? <ol start={node.listStart ?? undefined}>{inner()}</ol> : <ul>{inner()}</ul>;
    case 'item':
      return <li>{inner()}</li>;
    case 'emph':
      return <em>{inner()}</em>;
    case 'strong':
      return <strong>{inner()}</strong>;
    case 'link': {
      const href = node.destination ?? '';
      return SAFE_URL.test(href.trim()) ? <a href={href}>{inner()}</a> : <>{inner()}</>;
    }
    case 'image':
      // Pictures from elsewhere are not loaded (nothing leaves the origin); their description stays.
      return <>{inner()}</>;
    default:
      return <>{inner()}</>;
  }
}

/** Markdown as React elements: parsed by commonmark, every text escaped, raw HTML shown as text. */
export function Markdown({ source, headingOffset = 2 }: { source: string; headingOffset?: number }) {
  return <>{children(parser.parse(source), 0, headingOffset)}</>;
}

/** Markdown inline text (a prerequisite) without a wrapping paragraph. */
export function InlineMarkdown({ source }: { source: string }) {
  const tree = parser.parse(source);
  const first = tree.firstChild;
  if (first !== null && first.type === 'paragraph' && first.next === null) return <>{children(first, 0, 2)}</>;
  return <>{children(tree, 0, 2)}</>;
}

/** The plain text of Markdown, for excerpts. */
export function markdownText(source: string): string {
  return textOf(parser.parse(source)).replace(/\s+/g, ' ').trim();
}
