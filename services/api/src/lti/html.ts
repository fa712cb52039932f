import { createHash } from 'node:crypto';

const SAFE = Symbol('safe-html');

/** Markup that is already escaped (the result of `html`). */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly text: string;
}

/** A value a template may interpolate: text is escaped, arrays are joined, `SafeHtml` is kept. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object') return (value as SafeHtml).text;
  return escapeHtml(String(value));
}

/** Marks constant markup (an inline script or style written here) as safe; never for content. */
export function trustedHtml(text: string): SafeHtml {
  return { [SAFE]: true, text };
}

/** A template tag that escapes every interpolated value unless it is itself `html` output. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += render(value) + (strings[i + 1] ?? '');
  });
  return { [SAFE]: true, text };
}

/** The CSP source of an inline script (`'sha256-…'`), so pages need no `unsafe-inline`. */
export function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
}

/** A whole page with the tool's minimal styling. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.text;
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5}label{display:block;margin:.25rem 0}button{font-size:1rem;padding:.4rem 1rem}';

/** The CSP source of the page style. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;
