import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder for one learner database made once per run, that every server process starts from a copy of. */
    pgliteTemplateDir: string;
  }
}

// Creating a PGlite folder (initdb and the migrations) takes seconds; copying a made one takes
// a fraction of that. The folder is filled by the first server that needs it (server-process.ts).
/** Provides an empty folder for the learner database template and removes it after the run. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'learnpath-pglite-template-'));
  project.provide('pgliteTemplateDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
