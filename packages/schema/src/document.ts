import { z } from 'zod';
import { SlugSchema, slugify } from './slug.js';
import {
  ChecklistItemSchema,
  ChecklistTargetSchema,
  DependencySchema,
  LevelSchema,
  LinkSchema,
  MAX_MINUTES,
  NextStepSchema,
  PathRefSchema,
  PhaseRefSchema,
  PrerequisiteSchema,
  ResourceKindSchema,
  ResourceRefSchema,
  UrlSchema,
  VideoSchema,
  type LearningPath,
  type Phase,
  type Resource,
} from './model.js';

// The authored shapes: what a YAML or JSON document holds. Ids, numbers and totals are
// optional or absent here because they are derived when the document is compiled.
// Authored objects are strict: an unknown field in a document is an author's typo and fails.
// The served shapes of model.ts tolerate (strip) unknown members instead, so that clients
// parsing responses keep working when the API adds a field.

/** A strict copy of a served object schema, for authored documents. */
function strictCopy<S extends z.ZodObject>(schema: S) {
  return z.strictObject(schema.shape as S['shape']).describe(schema.description ?? '');
}

const ReferenceDocumentSchema = z.union([strictCopy(PhaseRefSchema), strictCopy(ResourceRefSchema), strictCopy(PathRefSchema)]);
const DependencyDocumentSchema = ReferenceDocumentSchema.describe(DependencySchema.description ?? '');
const NextStepDocumentSchema = ReferenceDocumentSchema.describe(NextStepSchema.description ?? '');
const LinkDocumentSchema = strictCopy(LinkSchema);
const VideoDocumentSchema = strictCopy(VideoSchema);
const PrerequisiteDocumentSchema = strictCopy(PrerequisiteSchema);
const ChecklistItemDocumentSchema = z
  .strictObject({
    ...ChecklistItemSchema.shape,
    target: z
      .union([
        z.strictObject({ phase: ChecklistItemSchema.shape.target.options[0].shape.phase }),
        ChecklistItemSchema.shape.target.options[1],
        ChecklistItemSchema.shape.target.options[2],
      ])
      .describe(ChecklistTargetSchema.description ?? ''),
  })
  .describe(ChecklistItemSchema.description ?? '');

const MinutesInputSchema = z
  .number()
  .nonnegative()
  .max(MAX_MINUTES)
  .nullable()
  .optional()
  .describe('How long the resource takes, in minutes; omit or null when not known yet.');

/** A resource as an author writes it in YAML or JSON. */
export const ResourceDocumentSchema = z
  .strictObject({
    id: SlugSchema.optional().describe('Explicit id; defaults to the slug of the title.'),
    title: z.string().min(1).max(500).describe('Title of the resource.'),
    kind: ResourceKindSchema.default('other'),
    url: UrlSchema.nullable().optional().describe('Where the resource lives.'),
    durationMinutes: MinutesInputSchema,
    focus: z.string().max(2000).nullable().optional().describe('What to focus on while studying the resource.'),
    dependsOn: z.array(DependencyDocumentSchema).max(100).default([]).describe('What must be completed first (all must hold).'),
    next: NextStepDocumentSchema.nullable().optional().describe('The step after this resource; defaults to the next resource, then the next phase.'),
  })
  .describe('A resource to study.');
export type ResourceDocument = z.input<typeof ResourceDocumentSchema>;

/** A phase as an author writes it in YAML or JSON. */
export const PhaseDocumentSchema = z
  .strictObject({
    id: SlugSchema.optional().describe('Explicit id; defaults to the slug of the title.'),
    title: z.string().min(1).max(500).describe('Title of the phase, without the "Phase N:" prefix.'),
    sequential: z.boolean().default(false).describe('Whether the resources are to be consumed in order.'),
    resources: z.array(ResourceDocumentSchema).max(1000).default([]).describe('The resources of the phase, in order.'),
    dependsOn: z.array(DependencyDocumentSchema).max(100).default([]).describe('What must be completed before this phase starts.'),
  })
  .describe('A phase of the path.');
export type PhaseDocument = z.input<typeof PhaseDocumentSchema>;

/** A learning path as an author writes it in YAML or JSON. */
export const LearningPathDocumentSchema = z
  .strictObject({
    $schema: z.string().max(2048).optional().describe('The JSON Schema this document follows (for editors).'),
    slug: SlugSchema.optional().describe('Slug of the path; defaults to the file name.'),
    title: z.string().min(1).max(500).describe('Title of the path.'),
    overview: z.string().max(20_000).default('').describe('What the path is about (Markdown).'),
    prerequisites: z
      .array(z.union([z.string().min(1).max(2000), PrerequisiteDocumentSchema]))
      .max(100)
      .default([])
      .describe('What a learner should know before starting: text, or { text, path } naming another path.'),
    level: LevelSchema.nullable().optional(),
    tags: z.array(SlugSchema).max(50).default([]).describe('Tags for finding the path.'),
    phases: z.array(PhaseDocumentSchema).max(200).default([]).describe('The phases of the path, in order.'),
    additionalResources: z.array(LinkDocumentSchema).max(500).default([]).describe('Further links beyond the phases.'),
    supplementaryVideos: z.array(VideoDocumentSchema).max(500).default([]).describe('Videos that complement the path.'),
    checklist: z.array(ChecklistItemDocumentSchema).max(500).default([]).describe('The completion checklist.'),
    notes: z.string().max(20_000).nullable().optional().describe('Closing notes from the author (Markdown).'),
  })
  .describe('A learning path document (YAML or JSON).');
export type LearningPathDocument = z.input<typeof LearningPathDocumentSchema>;
/** A learning path document after parsing: defaults applied, ids and totals not yet derived. */
export type ParsedDocument = z.output<typeof LearningPathDocumentSchema>;

/** Sums known durations; unknown (null) durations count as zero. */
export function sumMinutes(resources: readonly Pick<Resource, 'durationMinutes'>[]): number {
  let total = 0;
  for (const r of resources) total += r.durationMinutes ?? 0;
  return Math.round(total * 1000) / 1000;
}

/**
 * Compiles an authored document into a served `LearningPath`: fills ids from titles,
 * numbers phases and adds derived totals. The slug is the document's, else `fallbackSlug`
 * (slugified when it is not a slug, e.g. a file name), else the title's. It does not check
 * references; `validatePath` does.
 */
export function compilePath(input: LearningPathDocument | ParsedDocument, fallbackSlug?: string): LearningPath {
  const doc = LearningPathDocumentSchema.parse(input);
  const fallback = fallbackSlug === undefined || fallbackSlug === '' ? undefined : SlugSchema.safeParse(fallbackSlug).success ? fallbackSlug : slugify(fallbackSlug);
  const phases: Phase[] = doc.phases.map((phase, index) => {
    const resources: Resource[] = phase.resources.map((r) => ({
      id: r.id ?? slugify(r.title),
      title: r.title,
      kind: r.kind,
      url: r.url ?? null,
      durationMinutes: r.durationMinutes ?? null,
      focus: r.focus ?? null,
      dependsOn: r.dependsOn,
      next: r.next ?? null,
    }));
    return {
      id: phase.id ?? slugify(phase.title),
      number: index + 1,
      title: phase.title,
      sequential: phase.sequential,
      resources,
      dependsOn: phase.dependsOn,
      totalMinutes: sumMinutes(resources),
      resourceCount: resources.length,
    };
  });
  return {
    slug: doc.slug ?? fallback ?? slugify(doc.title),
    title: doc.title,
    overview: doc.overview,
    prerequisites: doc.prerequisites.map((p) => (typeof p === 'string' ? { text: p, path: null } : p)),
    level: doc.level ?? null,
    tags: doc.tags,
    phases,
    additionalResources: doc.additionalResources,
    supplementaryVideos: doc.supplementaryVideos,
    checklist: doc.checklist,
    notes: doc.notes ?? null,
    totalMinutes: sumMinutes(phases.flatMap((p) => p.resources)),
    resourceCount: phases.reduce((n, p) => n + p.resources.length, 0),
  };
}

/** Turns a served path back into its authored document (drops derived fields, keeps ids explicit). */
export function toDocument(path: LearningPath): ParsedDocument {
  return {
    slug: path.slug,
    title: path.title,
    overview: path.overview,
    prerequisites: path.prerequisites,
    level: path.level,
    tags: path.tags,
    phases: path.phases.map((phase) => ({
      id: phase.id,
      title: phase.title,
      sequential: phase.sequential,
      dependsOn: phase.dependsOn,
      resources: phase.resources.map((r) => ({ ...r })),
    })),
    additionalResources: path.additionalResources,
    supplementaryVideos: path.supplementaryVideos,
    checklist: path.checklist,
    notes: path.notes,
  };
}
