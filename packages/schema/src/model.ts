import { z } from 'zod';
import { SlugSchema } from './slug.js';

/** What kind of material a resource is. */
export const ResourceKindSchema = z
  .enum([
    'article',
    'video',
    'course',
    'book',
    'podcast',
    'documentation',
    'tutorial',
    'exercise',
    'project',
    'interactive',
    'other',
  ])
  .describe('What kind of material the resource is.');
export type ResourceKind = z.output<typeof ResourceKindSchema>;

/** Every resource kind, in declaration order. */
export const RESOURCE_KINDS = ResourceKindSchema.options;

/** An absolute http(s) URL. */
export const UrlSchema = z
  .url({ protocol: /^https?$/, hostname: /^[^\s]+$/ })
  .max(2048)
  .describe('An absolute http or https URL.');

/** The most minutes a duration, or the total of a phase or a path, can be. */
export const MAX_MINUTES = 1_000_000;

const MinutesSchema = z
  .number()
  .nonnegative()
  .max(MAX_MINUTES)
  .describe('A length of time in minutes (fractions come from mm:ss lengths).');

/** A reference to a phase of the same path. */
export const PhaseRefSchema = z
  .object({ phase: SlugSchema.describe('Id of a phase of the same path.') })
  .describe('A reference to a phase of the same path.');
/** A reference to a resource of the same path. */
export const ResourceRefSchema = z
  .object({ resource: SlugSchema.describe('Id of a resource of the same path.') })
  .describe('A reference to a resource of the same path.');
/** A reference to another learning path, by slug. */
export const PathRefSchema = z
  .object({ path: SlugSchema.describe('Slug of another learning path in the catalog.') })
  .describe('A reference to another learning path in the catalog.');

/** A typed reference: `{ phase }`, `{ resource }` or `{ path }`. Never free text. */
export const ReferenceSchema = z
  .union([PhaseRefSchema, ResourceRefSchema, PathRefSchema])
  .describe('A typed reference to a phase, a resource or another path.');
export type Reference = z.output<typeof ReferenceSchema>;
export type PhaseRef = z.output<typeof PhaseRefSchema>;
export type ResourceRef = z.output<typeof ResourceRefSchema>;
export type PathRef = z.output<typeof PathRefSchema>;

/** A dependency: the referenced phase, resource or path must be complete first. */
export const DependencySchema = ReferenceSchema.describe(
  'A dependency: the referenced phase, resource or path must be completed first. All dependencies must hold.',
);
export type Dependency = z.output<typeof DependencySchema>;

/** Where to go after a resource: a resource, a phase or another path. */
export const NextStepSchema = ReferenceSchema.describe(
  'The step to take after this resource: a resource or phase of this path, or another path.',
);
export type NextStep = z.output<typeof NextStepSchema>;

/** A prerequisite: text, optionally naming another path of the catalog. */
export const PrerequisiteSchema = z
  .object({
    text: z.string().min(1).max(2000).describe('The prerequisite as the author wrote it (Markdown inline text).'),
    path: SlugSchema.nullable().describe('Slug of a learning path this prerequisite refers to, or null.'),
  })
  .describe('Something a learner should know or have done before starting.');
export type Prerequisite = z.output<typeof PrerequisiteSchema>;

/** A link in "Additional Resources". */
export const LinkSchema = z
  .object({
    title: z.string().min(1).max(500).describe('Title of the link.'),
    url: UrlSchema.nullable().describe('Where the link points, or null when not given yet.'),
    description: z.string().max(2000).nullable().describe('What the link offers, or null when not given yet.'),
  })
  .describe('An additional resource: a link with a description.');
export type Link = z.output<typeof LinkSchema>;

/** A video in "Supplementary Videos". */
export const VideoSchema = z
  .object({
    title: z.string().min(1).max(500).describe('Title of the video.'),
    url: UrlSchema.nullable().describe('Where the video can be watched, or null when not given yet.'),
    durationMinutes: MinutesSchema.nullable().describe('Length of the video in minutes, or null when not given yet.'),
    channel: z.string().max(500).nullable().describe('Channel or source of the video, or null when not given yet.'),
  })
  .describe('A supplementary video.');
export type Video = z.output<typeof VideoSchema>;

/** What a checklist item is about: a phase by id, or the supplementary material. */
export const ChecklistTargetSchema = z
  .union([
    z.object({ phase: SlugSchema.describe('Id of the phase this item checks off.') }),
    z.literal('supplementary').describe('The supplementary material (additional resources and videos).'),
    z.null().describe('Nothing in particular.'),
  ])
  .describe('What the item checks off: a phase, the supplementary material, or nothing in particular.');
export type ChecklistTarget = z.output<typeof ChecklistTargetSchema>;

/** An item of the completion checklist. */
export const ChecklistItemSchema = z
  .object({
    label: z.string().min(1).max(500).describe('The task as shown to the learner.'),
    target: ChecklistTargetSchema,
    checked: z.boolean().describe('Whether the author marked the item as done ([x]).'),
  })
  .describe('An item of the completion checklist.');
export type ChecklistItem = z.output<typeof ChecklistItemSchema>;

/** How demanding a path is. */
export const LevelSchema = z
  .enum(['beginner', 'intermediate', 'advanced'])
  .describe('How demanding the path is.');
export type Level = z.output<typeof LevelSchema>;

/** A resource as served, with every field present. */
export const ResourceSchema = z
  .object({
    id: SlugSchema.describe('Stable id of the resource, unique within the path (the slug of its title unless set).'),
    title: z.string().min(1).max(500).describe('Title of the resource.'),
    kind: ResourceKindSchema,
    url: UrlSchema.nullable().describe('Where the resource lives, or null when not given.'),
    durationMinutes: MinutesSchema.nullable().describe('How long the resource takes, in minutes, or null when not given.'),
    focus: z.string().max(2000).nullable().describe('What to focus on while studying the resource.'),
    dependsOn: z.array(DependencySchema).max(100).describe('What must be completed before this resource (all must hold).'),
    next: NextStepSchema.nullable().describe('The step after this resource as the author gave it, or null for the default (the next resource, then the next phase).'),
  })
  .describe('A resource to study: an article, video, course, book…');
export type Resource = z.output<typeof ResourceSchema>;

/** A phase as served, with derived totals. */
export const PhaseSchema = z
  .object({
    id: SlugSchema.describe('Stable id of the phase (the slug of its title unless set).'),
    number: z.number().int().min(1).describe('1-based position of the phase in the path.'),
    title: z.string().min(1).max(500).describe('Title of the phase, without the "Phase N:" prefix.'),
    sequential: z.boolean().describe('Whether the resources are to be consumed in order.'),
    resources: z.array(ResourceSchema).max(1000).describe('The resources of the phase, in order.'),
    dependsOn: z.array(DependencySchema).max(100).describe('What must be completed before this phase starts.'),
    totalMinutes: MinutesSchema.describe('Derived: the sum of the known resource durations of the phase.'),
    resourceCount: z.number().int().nonnegative().describe('Derived: the number of resources in the phase.'),
  })
  .describe('A phase of a learning path: resources grouped into a stage.');
export type Phase = z.output<typeof PhaseSchema>;

/** A learning path as served, with derived totals. */
export const LearningPathSchema = z
  .object({
    slug: SlugSchema.describe('Stable id of the path in the catalog (the file name unless set).'),
    title: z.string().min(1).max(500).describe('Title of the path.'),
    overview: z.string().max(20_000).describe('What the path is about (Markdown).'),
    prerequisites: z.array(PrerequisiteSchema).max(100).describe('What a learner should know before starting.'),
    level: LevelSchema.nullable().describe('How demanding the path is, or null when not given.'),
    tags: z.array(SlugSchema).max(50).describe('Tags for finding the path.'),
    phases: z.array(PhaseSchema).max(200).describe('The phases of the path, in order.'),
    additionalResources: z.array(LinkSchema).max(500).describe('Further links beyond the phases.'),
    supplementaryVideos: z.array(VideoSchema).max(500).describe('Videos that complement the path.'),
    checklist: z.array(ChecklistItemSchema).max(500).describe('The completion checklist.'),
    notes: z.string().max(20_000).nullable().describe('Closing notes from the author (Markdown), or null.'),
    totalMinutes: MinutesSchema.describe('Derived: the sum of the known resource durations of the path.'),
    resourceCount: z.number().int().nonnegative().describe('Derived: the number of resources in the path.'),
  })
  .describe('A learning path: phases of resources with dependencies, links, videos, a checklist and notes.');
export type LearningPath = z.output<typeof LearningPathSchema>;
