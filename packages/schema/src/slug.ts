import { z } from 'zod';

/** A lowercase, hyphen-separated identifier such as `batch-processing`. */
export const SlugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a slug: lowercase letters, digits and single hyphens')
  .describe('A stable, URL-safe identifier: lowercase letters, digits and single hyphens.');

/** The slug of a title: `"Phase 1: Foundations"` stays as given; `"Batch Processing"` → `batch-processing`. */
export function slugify(title: string): string {
  return asciiSlug(title) ?? slugOfText(title);
}

/**
 * `slugify` of text in ASCII without "&", in one pass (titles mostly are): letters and digits
 * lowercased, every other run a hyphen, none at either end, at most 80 characters. Null for
 * other text.
 */
function asciiSlug(title: string): string | null {
  let slug = '';
  let gap = false;
  for (let i = 0; i < title.length; i++) {
    const code = title.charCodeAt(i);
    if (code >= 128 || code === 38) return null;
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    if ((lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57)) {
      if (gap && slug !== '') slug += '-';
      gap = false;
      slug += String.fromCharCode(lower);
    } else gap = true;
  }
  if (slug.length > 80) slug = slug.slice(0, 80).replace(/-+$/, '');
  return slug === '' ? null : slug;
}

/** `slugify` of any text (exported for tests: the one-pass reading must agree with it). */
export function slugOfText(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug === '' ? `item-${hashString(title)}` : slug;
}

/** A short, stable, non-cryptographic hash (FNV-1a, base 36) used for fallback ids. */
export function hashString(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
