import type { LearningPath } from '@learnpath/schema';
import { describeDuration } from './duration.js';
import { exportFilename, exportFormatInfo, type ExportFile } from './formats.js';
import { ExportOptionsError, normalizeBaseUrl, normalizeLanguage } from './options.js';
import { kindLabel, learnerUrl, phaseLabel, serviceUrl } from './references.js';
import { createXmlDocument, serializeXml, textElement, xmlText, type XMLBuilder } from './xml.js';

/** The namespace of cmi5 course structures. */
export const CMI5_NAMESPACE = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

/** Options of the cmi5 export. */
export interface Cmi5Options {
  /** The service's base URL (required): every AU launches the learner page of its resource there. */
  baseUrl: string;
  /** Base of the course, block and AU identifiers (IRIs); defaults to `baseUrl`. */
  baseIri?: string;
  /** Language of titles and descriptions (BCP 47, default `en`). */
  language?: string;
}

function langstring(parent: XMLBuilder, name: string, text: string, language: string): void {
  parent.ele(name).ele('langstring', { lang: language }).txt(xmlText(text));
}

/**
 * The cmi5 course structure (`cmi5.xml`) of a path: the path is the `course`, each phase a
 * `block`, each resource an `au` with a fully qualified launch URL and `moveOn="Completed"`.
 * Identifiers are IRIs built from the base IRI, the slug and the phase/resource ids (the
 * same shape as the service's URLs), so they stay stable across exports. Phases without
 * resources are left out because a cmi5 block must hold at least one AU; a path without any
 * resource gets a single AU that launches the path's page. Every AU launches the learner page
 * of its resource (`/learn/{slug}/{id}`), which runs the cmi5 launch sequence and reports
 * completion, and from which the learner opens the resource itself.
 */
export function renderCmi5(path: LearningPath, options: Cmi5Options): string {
  if (options.baseUrl === undefined || options.baseUrl === '') {
    throw new ExportOptionsError('the cmi5 export needs a base URL: every AU launches the learner page of its resource');
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const baseIri = options.baseIri === undefined ? baseUrl : normalizeBaseUrl(options.baseIri, 'baseIri');
  const language = normalizeLanguage(options.language);

  const doc = createXmlDocument();
  const structure = doc.ele(CMI5_NAMESPACE, 'courseStructure');
  const course = structure.ele('course', { id: serviceUrl(baseIri, path.slug) });
  langstring(course, 'title', path.title, language);
  langstring(course, 'description', path.overview.trim() === '' ? path.title : path.overview, language);

  let auCount = 0;
  for (const phase of path.phases) {
    if (phase.resources.length === 0) continue;
    const block = structure.ele('block', { id: serviceUrl(baseIri, path.slug, { phase: phase.id }) });
    langstring(block, 'title', phaseLabel(phase), language);
    langstring(
      block,
      'description',
      `${phase.resources.length} resource${phase.resources.length === 1 ? '' : 's'}, ${describeDuration(phase.totalMinutes)}${phase.sequential ? ', to be taken in order' : ''}`,
      language,
    );
    for (const resource of phase.resources) {
      auCount++;
      const au = block.ele('au', {
        id: serviceUrl(baseIri, path.slug, { resource: resource.id }),
        moveOn: 'Completed',
        // External pages usually refuse to be framed, so they open in their own window.
        launchMethod: 'OwnWindow',
      });
      langstring(au, 'title', resource.title, language);
      const details = [kindLabel(resource.kind), resource.durationMinutes === null ? null : describeDuration(resource.durationMinutes), resource.focus];
      langstring(au, 'description', details.filter((d): d is string => d !== null && d !== '').join(' — '), language);
      textElement(au, 'url', learnerUrl(baseUrl, path.slug, resource.id));
    }
  }
  if (auCount === 0) {
    const au = structure.ele('au', { id: `${serviceUrl(baseIri, path.slug)}/overview`, moveOn: 'Completed', launchMethod: 'OwnWindow' });
    langstring(au, 'title', path.title, language);
    langstring(au, 'description', 'The learning path', language);
    textElement(au, 'url', learnerUrl(baseUrl, path.slug));
  }
  return serializeXml(doc);
}

/**
 * Exports the cmi5 course structure as a single `cmi5.xml` file: every AU launches a fully
 * qualified URL, so no content has to be packaged and the file alone is a complete course.
 */
export function exportCmi5(path: LearningPath, options: Cmi5Options): ExportFile {
  return { filename: exportFilename(path.slug, 'cmi5'), contentType: exportFormatInfo('cmi5').contentType, body: renderCmi5(path, options) };
}
