import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';
import * as learnerState from './0001-learner-state.js';
import * as learnerSessions from './0002-learner-sessions.js';
import * as lti from './0003-lti.js';
import * as ltiPeople from './0004-lti-people.js';

// Append new migrations here, in order; never edit one that has shipped. Names sort as applied.
const MIGRATIONS: ReadonlyArray<readonly [name: string, statements: readonly string[]]> = [
  ['0001-learner-state', learnerState.statements],
  ['0002-learner-sessions', learnerSessions.statements],
  ['0003-lti', lti.statements],
  ['0004-lti-people', ltiPeople.statements],
];

function migrationOf(statements: readonly string[]): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // One statement per call: PGlite's extended protocol takes a single statement.
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}

/** The store's migrations, in the order they apply. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return Object.fromEntries(MIGRATIONS.map(([name, statements]) => [name, migrationOf(statements)]));
  },
};

/** Names of every migration the store knows, in order. */
export const migrationNames: readonly string[] = MIGRATIONS.map(([name]) => name);
