import { create } from 'xmlbuilder2';

/** A node of an xmlbuilder2 document. */
export type XMLBuilder = ReturnType<typeof create>;

// Characters XML 1.0 allows (the `Char` production). Control characters, lone surrogates
// and U+FFFE/U+FFFF cannot be written even escaped, and xmlbuilder2 passes them through,
// so text from content is cleaned before it reaches a builder.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replaces every character XML 1.0 cannot carry with U+FFFD; everything else is kept as is. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD');
}

/**
 * Text for an xmlbuilder2 text node or attribute value: what `xmlSafe` cleans, and every `&`
 * escaped. xmlbuilder2 writes `&name;` and `&#n;` through unescaped, as references, so content
 * holding them ("AT&amp;T", "&nbsp;", "&#1;") would read back changed or not be XML at all.
 */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;');
}

/** Starts an XML document with the UTF-8 declaration. */
export function createXmlDocument(): XMLBuilder {
  return create({ version: '1.0', encoding: 'UTF-8' });
}

/** Serialises a document built with `createXmlDocument`, indented, ending with a newline. */
export function serializeXml(doc: XMLBuilder): string {
  return `${doc.end({ prettyPrint: true, indent: '  ', newline: '\n' })}\n`;
}

/** Adds `<name>text</name>` under `parent` (text cleaned for XML) and returns `parent`. */
export function textElement(parent: XMLBuilder, name: string, text: string): XMLBuilder {
  parent.ele(name).txt(xmlText(text));
  return parent;
}
