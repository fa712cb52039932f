import type { LearningPath } from '@learnpath/schema';
import { html, page, STYLE_HASH, type SafeHtml } from './html.js';

/** The Content-Security-Policy of the tool's pages: framed by any LMS, nothing loaded from elsewhere. */
export function pagePolicy(formAction = "'self'"): string {
  return `default-src 'none'; style-src ${STYLE_HASH}; form-action ${formAction}; base-uri 'none'; frame-ancestors *`;
}

/** The page shown when an LTI request is refused: what failed, never the token's contents. */
export function renderRefusalPage(status: number, check: string, message: string, reopen?: Readonly<Record<string, string>>): string {
  return page('The launch was refused', html`<h1>The launch was refused</h1>
<p>${message}</p>
${
  reopen === undefined
    ? ''
    : html`<p>Your browser may block cookies of tools shown inside the course page. Open the learning path in a window of its own:</p>
<form method="get" action="/lti/login" target="_blank">
${Object.entries(reopen).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit">Open in a new window</button>
</form>`
}
<p>Check: <code>${check}</code> (HTTP ${status}). Open the link from your course again; if this keeps happening, tell your LMS administrator.</p>`);
}

/** The page a verified resource link launch shows when the tool has no learner store (no sign-in, no class progress). */
export function renderLaunchPage(path: LearningPath, who: { name: string | undefined; instructor: boolean; context: string | undefined }): string {
  return page(path.title, html`<h1>${path.title}</h1>
<p>${who.name ? html`Signed in as ${who.name}` : 'Signed in'} from ${who.context ?? 'your course'}${who.instructor ? ' (instructor)' : ''}.</p>
<p><a href="/learn/${path.slug}" target="_self">Open the learning path</a></p>`);
}

/** What the picker lists and how it is filtered. */
export interface PickerModel {
  /** The signed Deep Linking context the forms carry. */
  context: string;
  action: string;
  paths: readonly LearningPath[];
  multiple: boolean;
  query: { q: string; level: string; tag: string };
  levels: readonly string[];
  tags: readonly string[];
}

function options(values: readonly string[], selected: string, anyLabel: string): SafeHtml[] {
  return [html`<option value="">${anyLabel}</option>`, ...values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${v}</option>`)];
}

/** The Deep Linking picker: the catalog with search, level and tag filters, a checkbox per path and "Add to course". */
export function renderPickerPage(model: PickerModel): string {
  const input = model.multiple ? 'checkbox' : 'radio';
  const items = model.paths.map(
    (p) => html`<label><input type="${input}" name="path" value="${p.slug}"> ${p.title}${p.level ? html` <small>(${p.level})</small>` : ''}</label>`,
  );
  return page('Add learning paths to the course', html`<h1>Add learning paths to the course</h1>
<form method="get" action="${model.action}" role="search">
<input type="hidden" name="context" value="${model.context}">
<label>Search <input type="search" name="q" value="${model.query.q}"></label>
<label>Level <select name="level">${options(model.levels, model.query.level, 'Any level')}</select></label>
<label>Tag <select name="tag">${options(model.tags, model.query.tag, 'Any tag')}</select></label>
<button type="submit">Filter</button>
</form>
<form method="post" action="${model.action}">
<input type="hidden" name="context" value="${model.context}">
<fieldset><legend>${model.paths.length} learning path(s)</legend>
${items.length > 0 ? items : html`<p>No learning path matches.</p>`}
</fieldset>
<button type="submit">Add to course</button>
</form>`);
}
