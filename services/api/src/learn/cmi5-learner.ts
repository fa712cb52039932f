import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The parts of an xAPI agent that identify a person (its inverse functional identifiers). */
export const Cmi5ActorSchema = z.object({
  objectType: z.literal('Agent').optional(),
  name: z.string().max(500).optional(),
  account: z.object({ homePage: z.string().min(1).max(2048), name: z.string().min(1).max(1024) }).optional(),
  mbox: z
    .string()
    .max(1024)
    .regex(/^mailto:[^@\s]+@[^@\s]+$/i)
    .optional(),
});
/** An xAPI agent as a cmi5 launch names the learner. */
export type Cmi5Actor = z.output<typeof Cmi5ActorSchema>;

/**
 * The learner id of a cmi5 actor, or null when the actor has neither an account nor an mbox:
 * `cmi5-` and the base64url SHA-256 of `account`, homePage and name (or of `mbox` and the
 * lower-cased address), separated by NUL characters. The store never holds the LMS's user
 * name or address, an account and an mbox never meet, and the id fits the learner id pattern.
 */
export function cmi5LearnerId(actor: Pick<Cmi5Actor, 'account' | 'mbox'>): string | null {
  // cmi5 names learners by account; mbox is the other identifier LMSs use in practice.
  const key = actor.account ? `account\u0000${actor.account.homePage}\u0000${actor.account.name}` : actor.mbox ? `mbox\u0000${actor.mbox.toLowerCase()}` : null;
  if (key === null) return null;
  return `cmi5-${createHash('sha256').update(key, 'utf8').digest('base64url')}`;
}
