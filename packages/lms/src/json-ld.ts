import type { LearningPath, Reference } from '@learnpath/schema';
import { isoDuration } from './duration.js';
import { exportFilename, exportFormatInfo, type ExportFile } from './formats.js';
import { normalizeBaseUrl, normalizeLanguage } from './options.js';
import { learnerUrl, phaseLabel, serviceUrl } from './references.js';

/** Options of the JSON-LD export. */
export interface JsonLdOptions {
  /** The service's base URL; gives the course, sections and resources absolute `@id`s and URLs. */
  baseUrl?: string;
  /** Language of the texts (BCP 47, default `en`). */
  language?: string;
}

type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

// schema.org's LearningResource.learningResourceType is free text; the kind names are used
// as they are ("article", "video", …).

/**
 * The path as a schema.org `Course` in JSON-LD: `syllabusSections` holds one `Syllabus` per
 * phase (with `timeRequired` as an ISO 8601 duration), and each phase's `hasPart` lists its
 * resources as `LearningResource`s with `learningResourceType`, `timeRequired`, `url` and
 * `teaches` (the focus). The path's prerequisites are the course's `coursePrerequisites`;
 * a resource's dependencies are its `competencyRequired` (schema.org defines
 * `coursePrerequisites` on `Course` only), each pointing at the `@id` it depends on.
 */
export function renderJsonLd(path: LearningPath, options: JsonLdOptions = {}): JsonObject {
  const baseUrl = options.baseUrl === undefined ? undefined : normalizeBaseUrl(options.baseUrl);
  const language = normalizeLanguage(options.language);
  const courseId = baseUrl === undefined ? `#${path.slug}` : serviceUrl(baseUrl, path.slug);
  const phaseId = (id: string): string => (baseUrl === undefined ? `#${path.slug}/phases/${id}` : serviceUrl(baseUrl, path.slug, { phase: id }));
  const resourceId = (id: string): string => (baseUrl === undefined ? `#${path.slug}/resources/${id}` : serviceUrl(baseUrl, path.slug, { resource: id }));
  const otherPathId = (slug: string): string => (baseUrl === undefined ? `#${slug}` : serviceUrl(baseUrl, slug));
  const refId = (ref: Reference): string => ('phase' in ref ? phaseId(ref.phase) : 'resource' in ref ? resourceId(ref.resource) : otherPathId(ref.path));

  const course: JsonObject = {
    '@context': 'https://schema.org',
    '@type': 'Course',
    '@id': courseId,
    identifier: path.slug,
    name: path.title,
    inLanguage: language,
  };
  if (path.overview.trim() !== '') course.description = path.overview;
  // `@id` names the item (the API's IRI); `url` is where a person reads it: the learner page.
  if (baseUrl !== undefined) course.url = learnerUrl(baseUrl, path.slug);
  if (path.level !== null) course.educationalLevel = path.level;
  if (path.tags.length > 0) course.keywords = [...path.tags];
  if (path.totalMinutes > 0) course.timeRequired = isoDuration(path.totalMinutes);
  if (path.prerequisites.length > 0) {
    course.coursePrerequisites = path.prerequisites.map((p): JsonValue =>
      p.path === null ? p.text : { '@type': 'Course', '@id': otherPathId(p.path), identifier: p.path, name: p.text },
    );
  }
  course.syllabusSections = path.phases.map((phase): JsonObject => {
    const section: JsonObject = {
      '@type': 'Syllabus',
      '@id': phaseId(phase.id),
      identifier: phase.id,
      name: phaseLabel(phase),
      position: phase.number,
    };
    if (phase.totalMinutes > 0) section.timeRequired = isoDuration(phase.totalMinutes);
    if (phase.dependsOn.length > 0) section.competencyRequired = phase.dependsOn.map((d) => ({ '@id': refId(d) }));
    section.hasPart = phase.resources.map((resource, i): JsonObject => {
      const item: JsonObject = {
        '@type': 'LearningResource',
        '@id': resourceId(resource.id),
        identifier: resource.id,
        name: resource.title,
        position: i + 1,
        learningResourceType: resource.kind,
      };
      if (resource.durationMinutes !== null) item.timeRequired = isoDuration(resource.durationMinutes);
      const url = resource.url ?? (baseUrl === undefined ? null : learnerUrl(baseUrl, path.slug, resource.id));
      if (url !== null) item.url = url;
      if (resource.focus !== null) item.teaches = resource.focus;
      if (resource.dependsOn.length > 0) item.competencyRequired = resource.dependsOn.map((d) => ({ '@id': refId(d) }));
      return item;
    });
    return section;
  });
  return course;
}

/** Exports the path as schema.org JSON-LD (`application/ld+json`). */
export function exportJsonLd(path: LearningPath, options: JsonLdOptions = {}): ExportFile {
  return {
    filename: exportFilename(path.slug, 'jsonld'),
    contentType: exportFormatInfo('jsonld').contentType,
    body: `${JSON.stringify(renderJsonLd(path, options), null, 2)}\n`,
  };
}
