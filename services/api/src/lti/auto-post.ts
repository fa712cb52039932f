import { html, page, scriptHash, STYLE_HASH, trustedHtml } from './html.js';

// The form submits itself once loaded; without JavaScript the button does the same.
const SUBMIT_SCRIPT = "document.forms[0].submit();";

/** An HTML page that posts `fields` to `action` at once, with the Content-Security-Policy it needs. */
export function renderAutoPostForm(action: string, fields: Readonly<Record<string, string>>, title = 'Returning to your course'): { html: string; csp: string } {
  const inputs = Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const body = html`<form method="post" action="${action}">
${inputs}
<p>${title}…</p>
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>${trustedHtml(SUBMIT_SCRIPT)}</script>`;
  return {
    html: page(title, body),
    csp: `default-src 'none'; script-src ${scriptHash(SUBMIT_SCRIPT)}; style-src ${STYLE_HASH}; form-action ${new URL(action).origin}; base-uri 'none'; frame-ancestors *`,
  };
}
