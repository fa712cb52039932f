import { Migrator, type Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.js';

/** Table that records applied migrations. */
export const MIGRATION_TABLE = 'store_migration';

/**
 * Applies every pending migration. Kysely's migrator takes a PostgreSQL advisory lock for the
 * run, so replicas that start together apply each migration once; the others wait and find
 * nothing left to do.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    if (error instanceof Error && failed) error.message = `migration ${failed.migrationName} failed: ${error.message}`;
    throw error;
  }
}
