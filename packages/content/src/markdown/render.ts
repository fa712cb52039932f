import { Parser, type Node } from 'commonmark';
import { stringify } from 'yaml';
import { slugify, type ChecklistTarget, type LearningPath, type Phase, type Reference } from '@learnpath/schema';
import { formatDuration, parseDuration } from '../duration.js';
import { kindLabel } from './vocabulary.js';
import { escapeText, formatDestination, hasSeparator } from './inline.js';
import { inferChecklistTarget } from './checklist.js';
import { slugOfDocumentLink } from './references.js';

/** Options for `renderPathDocument`. */
export interface RenderOptions {
  /**
   * Write the template placeholders (`[URL/Link description]`, `[Duration]`, `[Channel/Source]`)
   * where a link or video lacks a value, as the authoring template does. Default: false.
   */
  placeholders?: boolean;
}

/**
 * Writes a learning path as a Markdown document in the format of the seed document, with front
 * matter only when the path needs it (a slug, level, tags or phase ids the text cannot carry).
 * `parseMarkdownPath` reads the result back to the same path.
 */
export function renderPathDocument(path: LearningPath, options: RenderOptions = {}): string {
  const placeholders = options.placeholders ?? false;
  const blocks: string[] = [];
  const frontMatter = renderFrontMatter(path);
  if (frontMatter !== null) blocks.push(frontMatter);
  blocks.push(`# ${escapeText(path.title)}`);
  if (path.overview !== '') blocks.push('## Overview', path.overview);
  if (path.prerequisites.length > 0) blocks.push('## Prerequisites', renderPrerequisites(path));
  blocks.push('## Learning Path');
  path.phases.forEach((phase, index) => blocks.push(...renderPhase(path, phase, index)));
  if (path.additionalResources.length > 0) {
    blocks.push(
      '## Additional Resources',
      path.additionalResources
        .map((link) => {
          const description = link.description ?? (placeholders && link.url === null ? '[URL/Link description]' : null);
          return `- ${renderTitle(link.title, link.url)}${description === null ? '' : ` — ${description}`}`;
        })
        .join('\n'),
    );
  }
  if (path.supplementaryVideos.length > 0) {
    blocks.push(
      '## Supplementary Videos',
      path.supplementaryVideos
        .map((video) => {
          const parts = [renderTitle(video.title, video.url)];
          const duration = video.durationMinutes === null ? '[Duration]' : formatDuration(video.durationMinutes);
          const channel = video.channel === null ? '[Channel/Source]' : escapeText(video.channel);
          if (video.channel === null) {
            if (video.durationMinutes !== null || placeholders) parts.push(duration);
            if (placeholders) parts.push(channel);
          } else if (video.durationMinutes !== null || placeholders || parseDuration(video.channel) !== null || hasSeparator(video.channel)) {
            // A lone channel that reads as a length would be taken for one; keep the length slot.
            parts.push(duration, channel);
          } else parts.push(channel);
          return `- ${parts.join(' — ')}`;
        })
        .join('\n'),
    );
  }
  if (path.checklist.length > 0) {
    blocks.push(
      '## Completion Checklist',
      path.checklist
        .map((item) => {
          const line = `- [${item.checked ? 'x' : ' '}] ${escapeText(item.label)}`;
          return needsExplicitTarget(path, item.label, item.target) ? `${line}\n  - Target: ${renderTarget(path, item.target)}` : line;
        })
        .join('\n'),
    );
  }
  if (path.notes !== null) blocks.push('## Notes', ...(path.notes === '' ? [] : [path.notes]));
  return `${blocks.join('\n\n')}\n`;
}

function renderFrontMatter(path: LearningPath): string | null {
  const data: Record<string, unknown> = {};
  if (path.slug !== slugify(path.title)) data.slug = path.slug;
  if (path.level !== null) data.level = path.level;
  if (path.tags.length > 0) data.tags = path.tags;
  const phaseIds = new Map<number, string>();
  path.phases.forEach((phase, index) => {
    if (phase.id !== slugify(phase.title)) phaseIds.set(index + 1, phase.id);
  });
  if (phaseIds.size > 0) data.phases = phaseIds;
  if (Object.keys(data).length === 0) return null;
  return `---\n${stringify(data).trimEnd()}\n---`;
}

/** A title, linked when it has a URL, in bold when a dash in it would read as a separator. */
function renderTitle(title: string, url: string | null): string {
  if (url !== null) return `[${escapeText(title)}](${formatDestination(url)})`;
  return hasSeparator(title) ? `**${escapeText(title)}**` : escapeText(title);
}

const linkParser = new Parser();

/** The path a prerequisite's text links to, as the parser reads it; 'several' when ambiguous. */
function linkedPath(text: string): string | null | 'several' {
  const slugs = new Set<string>();
  const walker = linkParser.parse(text).walker();
  for (let step = walker.next(); step !== null; step = walker.next()) {
    const node: Node = step.node;
    if (step.entering && node.type === 'link') {
      const slug = slugOfDocumentLink(node.destination ?? '');
      if (slug !== null) slugs.add(slug);
    }
  }
  return slugs.size > 1 ? 'several' : ([...slugs][0] ?? null);
}

function renderPrerequisites(path: LearningPath): string {
  const items = path.prerequisites.map((p) => ({ text: p.text, explicit: linkedPath(p.text) !== p.path ? p.path : undefined }));
  const only = items[0];
  if (items.length === 1 && only && only.explicit === undefined) return only.text;
  return items
    .map(({ text, explicit }) => {
      const line = `- ${text.replace(/\n/g, '\n  ')}`;
      return explicit === undefined ? line : `${line}\n  - Path: ${explicit === null ? 'none' : `\`${explicit}\``}`;
    })
    .join('\n');
}

function renderPhase(path: LearningPath, phase: Phase, index: number): string[] {
  const blocks = [`### Phase ${index + 1}: ${escapeText(phase.title)}`];
  if (phase.dependsOn.length > 0) blocks.push(`Dependencies: Complete ${renderReferences(path, phase.dependsOn, index)}`);
  if (phase.sequential) blocks.push('**Resources to consume in order:**');
  phase.resources.forEach((resource, r) => {
    const marker = `${r + 1}. `;
    const indent = ' '.repeat(marker.length);
    // A URL that Markdown link syntax would percent-encode goes, exactly, into a URL bullet.
    const linked = resource.url !== null && survivesLink(resource.url);
    const lines = [`${marker}${renderResourceTitle(resource.title, linked ? resource.url : null)} — [${kindLabel(resource.kind)}]`];
    const field = (key: string, value: string): void => {
      lines.push(`${indent}- ${key}: ${value.replace(/\n/g, `\n${indent}  `)}`);
    };
    if (resource.id !== slugify(resource.title)) field('Id', `\`${resource.id}\``);
    if (resource.url !== null && !linked) field('URL', codeSpan(resource.url));
    if (resource.durationMinutes !== null) field('Duration', formatDuration(resource.durationMinutes));
    if (resource.focus !== null) field('Focus', resource.focus);
    if (resource.dependsOn.length > 0) field('Dependencies', `Complete ${renderReferences(path, resource.dependsOn, index)}`);
    if (resource.next !== null) field('Next step', `Move to ${renderReference(path, resource.next, index)}`);
    blocks.push(lines.join('\n'));
  });
  return blocks;
}

/** Whether a URL reads back unchanged as a link destination (CommonMark percent-encodes some characters). */
function survivesLink(url: string): boolean {
  const link = linkParser.parse(`[x](${formatDestination(url)})`).firstChild?.firstChild;
  return link?.type === 'link' && link.destination === url;
}

/** Text as a code span, which CommonMark reads back verbatim. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function renderResourceTitle(title: string, url: string | null): string {
  return url === null ? `**${escapeText(title)}**` : `**[${escapeText(title)}](${formatDestination(url)})**`;
}

function renderReferences(path: LearningPath, refs: readonly Reference[], phaseIndex: number): string {
  // In a list, a trailing "of Phase N" would apply to every resource number before it: each
  // resource number of a list says its phase.
  const words = refs.map((ref) => renderReference(path, ref, refs.length > 1 ? -1 : phaseIndex));
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}

/** A reference as a phrase: "Phase 2", "resource 3", "resource 1 of Phase 2", "path `slug`". */
function renderReference(path: LearningPath, ref: Reference, phaseIndex: number): string {
  if ('phase' in ref) {
    const p = path.phases.findIndex((phase) => phase.id === ref.phase);
    return p < 0 ? `phase \`${ref.phase}\`` : `Phase ${p + 1}`;
  }
  if ('resource' in ref) {
    for (let p = 0; p < path.phases.length; p++) {
      const r = path.phases[p]!.resources.findIndex((resource) => resource.id === ref.resource);
      if (r >= 0) return p === phaseIndex ? `resource ${r + 1}` : `resource ${r + 1} of Phase ${p + 1}`;
    }
    return `resource \`${ref.resource}\``;
  }
  return `path \`${ref.path}\``;
}

function needsExplicitTarget(path: LearningPath, label: string, target: ChecklistTarget): boolean {
  let unknownPhase = false;
  const inferred = inferChecklistTarget(label, path.phases, () => {
    unknownPhase = true;
  });
  return unknownPhase || JSON.stringify(inferred) !== JSON.stringify(target);
}

function renderTarget(path: LearningPath, target: ChecklistTarget): string {
  if (target === null) return 'none';
  if (target === 'supplementary') return 'supplementary';
  const p = path.phases.findIndex((phase) => phase.id === target.phase);
  return p < 0 ? `phase \`${target.phase}\`` : `Phase ${p + 1}`;
}
