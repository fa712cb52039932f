import { createHash } from 'node:crypto';

// Identifiers in the exports are XML IDs (NCNames) that LMSs store as migration ids, so a
// re-import of the same path updates what the previous import created. They are derived
// from the path slug and the stable phase and resource ids only, never from titles,
// positions or time. Slugs and ids are `[a-z0-9-]`, so `.` can separate the parts without
// ambiguity, and the `lp.` prefix makes every identifier start with a letter.
const MAX_ID_LENGTH = 120;

/** The NCName identifier for `parts` (e.g. `['batch-vs-stream', 'res', 'intro']` → `lp.batch-vs-stream.res.intro`). */
export function xmlId(...parts: string[]): string {
  const sanitized = parts.map((part) => part.toLowerCase().replace(/[^a-z0-9-]+/g, '-'));
  const id = ['lp', ...sanitized].join('.');
  if (id.length <= MAX_ID_LENGTH) return id;
  // Long slugs and ids would make identifiers some LMSs truncate; a hash keeps them unique.
  const digest = createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 24);
  return `lp.h${digest}`;
}

/** A file name for a resource id inside an archive folder (ids are already safe; long ones are hashed). */
export function fileStem(id: string): string {
  if (/^[a-z0-9-]{1,80}$/.test(id)) return id;
  return `h${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
}
