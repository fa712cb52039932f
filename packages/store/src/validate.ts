import { SlugSchema } from '@learnpath/schema';
import { StoreInputError } from './errors.js';
import { CompletionSourceSchema, LearnerIdSchema, type CompletionSource } from './model.js';

/** `id` if it is a valid learner id; otherwise throws `StoreInputError`. */
export function checkLearnerId(id: string): string {
  if (!LearnerIdSchema.safeParse(id).success) throw new StoreInputError('learner id: expected 1–200 letters, digits and . _ : @ -, not only dots', 'learnerId');
  return id;
}

/** `value` if it is a slug; otherwise throws `StoreInputError` naming `field`. */
export function checkSlug(value: string, field: 'slug' | 'resourceId'): string {
  if (!SlugSchema.safeParse(value).success) throw new StoreInputError(`${field}: expected a slug (lowercase letters, digits and single hyphens)`, field);
  return value;
}

/** `source` if it is a known source; otherwise throws `StoreInputError`. */
export function checkSource(source: string): CompletionSource {
  const parsed = CompletionSourceSchema.safeParse(source);
  if (!parsed.success) throw new StoreInputError('source: expected api, page, lti or cmi5', 'source');
  return parsed.data;
}

/** A time as a Date; throws `StoreInputError` when it is not a valid time. */
export function checkTime(value: Date | string): Date {
  const date = value instanceof Date ? value : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) {
    throw new StoreInputError('completedAt: expected an ISO-8601 date-time such as 2026-05-01T12:00:00Z', 'completedAt');
  }
  return date;
}
