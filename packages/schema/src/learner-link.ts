import { z } from 'zod';
import { SlugSchema } from './slug.js';

/** Shortest and longest lifetime of a learner link, in seconds. */
export const LEARNER_LINK_LIFETIME = { default: 300, min: 30, max: 3600 } as const;

/** What an integrator's back end asks for when it makes a learner link. */
export const LearnerLinkRequestSchema = z
  .strictObject({
    path: SlugSchema.optional().describe('Slug of the path the link opens; without it the link opens the catalog.'),
    expiresIn: z
      .number()
      .int()
      .min(LEARNER_LINK_LIFETIME.min)
      .max(LEARNER_LINK_LIFETIME.max)
      .optional()
      .describe(`Seconds until the link stops working: ${LEARNER_LINK_LIFETIME.min}–${LEARNER_LINK_LIFETIME.max}, default ${LEARNER_LINK_LIFETIME.default}.`),
  })
  .describe('A single-use learner link to make.');
export type LearnerLinkRequest = z.output<typeof LearnerLinkRequestSchema>;

/** A single-use learner link: send the learner's browser to `url` before `expiresAt`. */
export const LearnerLinkSchema = z
  .strictObject({
    url: z.url().max(2048).describe('The link: opens the learner pages with a session for the learner, once. Send the learner\'s browser there (a redirect); do not log it.'),
    expiresAt: z.iso.datetime().max(40).describe('When the link stops working (ISO-8601).'),
  })
  .describe('A single-use, short-lived learner link.');
export type LearnerLink = z.output<typeof LearnerLinkSchema>;
