import type { LearningPath, PathIndex, Phase, Resource } from '@learnpath/schema';
import { describeDuration } from './duration.js';
import { createHtmlPage, serializeHtmlPage } from './html-page.js';
import { appendInlineMarkdown, appendMarkdown, isSafeUrl } from './markdown-html.js';
import { describeReference, kindLabel, learnerUrl, phaseLabel } from './references.js';
import { xmlText, type XMLBuilder } from './xml.js';

/** What a page needs besides the path. */
export interface PageContext {
  index: PathIndex;
  /** Identifier written as `<meta name="identifier">` (Canvas matches pages by it). */
  identifier: string;
  /** The service's base URL, for links to the learner pages; omitted when unknown. */
  baseUrl?: string | undefined;
}

function metaFor(identifier: string): Record<string, string> {
  // Canvas reads these from wiki pages; other LMSs ignore them.
  return { identifier, editing_roles: 'teachers', workflow_state: 'active' };
}

function definition(list: XMLBuilder, term: string, fill: (dd: XMLBuilder) => void): void {
  list.ele('dt').txt(term);
  fill(list.ele('dd'));
}

function link(parent: XMLBuilder, url: string | null, text: string): void {
  if (url !== null && isSafeUrl(url)) parent.ele('a', { href: xmlText(url) }).txt(xmlText(text));
  else parent.txt(xmlText(text));
}

/** The HTML page of a resource without a URL: kind, duration, focus, phase and dependencies. */
export function renderResourcePage(path: LearningPath, phase: Phase, resource: Resource, context: PageContext): string {
  const page = createHtmlPage(resource.title, metaFor(context.identifier));
  page.body.ele('h1').txt(xmlText(resource.title));
  const list = page.body.ele('dl');
  definition(list, 'Kind', (dd) => dd.txt(kindLabel(resource.kind)));
  definition(list, 'Duration', (dd) => dd.txt(resource.durationMinutes === null ? 'Not given' : describeDuration(resource.durationMinutes)));
  if (resource.focus !== null) definition(list, 'Focus', (dd) => dd.txt(xmlText(resource.focus ?? '')));
  const position = phase.resources.indexOf(resource) + 1;
  definition(list, 'Phase', (dd) => dd.txt(xmlText(`${phaseLabel(phase)} — resource ${position} of ${phase.resources.length}${phase.sequential ? ', in order' : ''}`)));
  const dependencies = [...phase.dependsOn, ...resource.dependsOn];
  if (dependencies.length > 0) {
    definition(list, 'Complete first', (dd) => {
      const ul = dd.ele('ul');
      for (const dep of dependencies) ul.ele('li').txt(xmlText(describeReference(context.index, dep)));
    });
  }
  if (context.baseUrl !== undefined) {
    page.body
      .ele('p')
      .ele('a', { href: learnerUrl(context.baseUrl, path.slug, resource.id) })
      .txt(xmlText(`Open “${resource.title}” and mark it done in ${path.title}`));
  }
  return serializeHtmlPage(page);
}

/**
 * The "About this path" page: overview, level and tags, prerequisites, the phases at a glance,
 * additional resources, supplementary videos, the completion checklist and the notes.
 */
export function renderAboutPage(path: LearningPath, context: PageContext): string {
  const page = createHtmlPage(`About this path: ${path.title}`, metaFor(context.identifier));
  const body = page.body;
  body.ele('h1').txt(xmlText(path.title));
  if (path.overview.trim() !== '') {
    body.ele('h2').txt('Overview');
    appendMarkdown(body, path.overview);
  }
  const facts = body.ele('dl');
  if (path.level !== null) definition(facts, 'Level', (dd) => dd.txt(xmlText(path.level ?? '')));
  definition(facts, 'Total time', (dd) => dd.txt(`${describeDuration(path.totalMinutes)} across ${path.resourceCount} resource${path.resourceCount === 1 ? '' : 's'}`));
  if (path.tags.length > 0) definition(facts, 'Tags', (dd) => dd.txt(xmlText(path.tags.join(', '))));

  if (path.prerequisites.length > 0) {
    body.ele('h2').txt('Prerequisites');
    const ul = body.ele('ul');
    for (const prerequisite of path.prerequisites) appendInlineMarkdown(ul.ele('li'), prerequisite.text);
  }

  if (path.phases.length > 0) {
    body.ele('h2').txt('Phases');
    const ol = body.ele('ol');
    for (const phase of path.phases) {
      ol.ele('li').txt(xmlText(`${phaseLabel(phase)} — ${phase.resources.length} resource${phase.resources.length === 1 ? '' : 's'}, ${describeDuration(phase.totalMinutes)}`));
    }
  }

  if (path.additionalResources.length > 0) {
    body.ele('h2').txt('Additional resources');
    const ul = body.ele('ul');
    for (const item of path.additionalResources) {
      const li = ul.ele('li');
      link(li, item.url, item.title);
      if (item.description !== null) li.txt(xmlText(` — ${item.description}`));
    }
  }

  if (path.supplementaryVideos.length > 0) {
    body.ele('h2').txt('Supplementary videos');
    const ul = body.ele('ul');
    for (const video of path.supplementaryVideos) {
      const li = ul.ele('li');
      link(li, video.url, video.title);
      const details = [video.durationMinutes === null ? null : describeDuration(video.durationMinutes), video.channel].filter((d): d is string => d !== null && d !== '');
      if (details.length > 0) li.txt(xmlText(` — ${details.join(' — ')}`));
    }
  }

  if (path.checklist.length > 0) {
    body.ele('h2').txt('Completion checklist');
    const ul = body.ele('ul');
    for (const item of path.checklist) ul.ele('li').txt(xmlText(`${item.checked ? '☑' : '☐'} ${item.label}`));
  }

  if (path.notes !== null && path.notes.trim() !== '') {
    body.ele('h2').txt('Notes');
    appendMarkdown(body, path.notes);
  }
  if (context.baseUrl !== undefined) {
    body.ele('p').ele('a', { href: learnerUrl(context.baseUrl, path.slug) }).txt(xmlText(`Follow ${path.title} with your progress and its dependency graph`));
  }
  return serializeHtmlPage(page);
}
