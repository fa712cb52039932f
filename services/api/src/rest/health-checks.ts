import type { HealthReason } from '@learnpath/schema';
import type { CatalogStore } from '../catalog/store.js';

/**
 * A check `/healthz` runs on every request: it resolves to a reason when the service still
 * serves but something is wrong (stale content, an unreachable database), else to undefined.
 */
export type HealthCheck = () => HealthReason | undefined | Promise<HealthReason | undefined>;

/** How long a check may take before `/healthz` reports it as failed rather than wait. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/** Degraded while newer content failed to load and the last good catalog is served. */
export function staleContentCheck(store: CatalogStore): HealthCheck {
  return () => {
    const state = store.state;
    if (!state.stale) return undefined;
    const errors = state.diagnostics.filter((d) => d.severity === 'error').length;
    return {
      code: 'stale-content',
      message: `The content changed but does not load (${errors} error${errors === 1 ? '' : 's'}); the last good version ${state.catalog.version} is served. The log has the details.`,
    };
  };
}

/** Runs every check at once; a check that throws or takes too long is itself a reason. */
export async function runHealthChecks(checks: readonly HealthCheck[], timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<HealthReason[]> {
  const results = await Promise.all(
    checks.map(async (check): Promise<HealthReason | undefined> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<HealthReason>((resolve) => {
        timer = setTimeout(() => resolve({ code: 'health-check-timeout', message: `A health check took longer than ${timeoutMs} ms.` }), timeoutMs);
      });
      try {
        return await Promise.race([Promise.resolve().then(check), timeout]);
      } catch (error) {
        return { code: 'health-check-failed', message: `A health check failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.filter((reason): reason is HealthReason => reason !== undefined);
}
