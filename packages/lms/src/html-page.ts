import { create } from 'xmlbuilder2';
import { xmlText, type XMLBuilder } from './xml.js';

// Elements HTML writes without an end tag. Every other element must not serialise as
// `<x/>`: an HTML parser reads that as an open tag and swallows what follows.
const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'col', 'area', 'base', 'wbr', 'source', 'track', 'embed', 'param']);

/** An HTML page under construction: the document and its body. */
export interface HtmlPage {
  doc: XMLBuilder;
  body: XMLBuilder;
}

/** Starts an HTML page with a title and `<meta name=… content=…>` entries (Canvas reads `identifier`). */
export function createHtmlPage(title: string, meta: Record<string, string> = {}): HtmlPage {
  const doc = create().dtd({ name: 'html' });
  const html = doc.ele('html', { lang: 'en' });
  const head = html.ele('head');
  head.ele('meta', { 'http-equiv': 'Content-Type', content: 'text/html; charset=utf-8' });
  head.ele('title').txt(xmlText(title));
  for (const [name, content] of Object.entries(meta)) head.ele('meta', { name, content: xmlText(content) });
  const body = html.ele('body');
  return { doc, body };
}

/** Serialises a page: an HTML5 document whose markup is also well-formed XML. */
export function serializeHtmlPage(page: HtmlPage): string {
  closeEmptyElements(page.doc);
  // No pretty printing: indentation inside mixed content and <pre> would change the text.
  return `${page.doc.end({ headless: true, prettyPrint: false })}\n`;
}

function closeEmptyElements(doc: XMLBuilder): void {
  const pending: Node[] = [doc.node as unknown as Node];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.nodeType === 1 && node.childNodes.length === 0 && !VOID_ELEMENTS.has((node as Element).localName)) {
      node.appendChild(node.ownerDocument!.createTextNode(''));
    }
    for (const child of Array.from(node.childNodes)) pending.push(child);
  }
}
