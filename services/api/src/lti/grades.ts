import type { LearningPath } from '@learnpath/schema';
import { evaluateStoredProgress, type Store } from '@learnpath/store';
import { buildScore } from './ags.js';
import type { LtiOutbox } from './outbox.js';

/** Options of `GradeReporter`. */
export interface GradeReporterOptions {
  store: Store;
  outbox: LtiOutbox;
  /** The catalog's paths now (content may be reloaded). */
  paths: () => Iterable<LearningPath>;
  /** Called after scores were enqueued (the deliverer's `wake`). */
  onEnqueued?: () => void;
  now?: () => Date;
}

/**
 * Turns a launched learner's progress on a path into scores for every graded link they opened
 * it from. It only enqueues: delivery runs apart, so a slow platform never holds a learner up.
 */
export class GradeReporter {
  readonly #o: GradeReporterOptions;

  constructor(options: GradeReporterOptions) {
    this.#o = options;
  }

  /** Enqueues the learner's current score on `slug` for each of their graded launches; resolves to how many. */
  async reportProgress(learnerId: string, slug: string): Promise<number> {
    const launches = (await this.#o.store.lti.listLaunches(learnerId, slug)).filter((l) => l.lineItem !== '');
    if (launches.length === 0) return 0;
    const paths = [...this.#o.paths()];
    const path = paths.find((p) => p.slug === slug);
    if (path === undefined) return 0;
    const report = evaluateStoredProgress(path, paths, await this.#o.store.listCompletions(learnerId));
    const now = this.#o.now?.() ?? new Date();
    for (const launch of launches) {
      await this.#o.outbox.enqueue({ issuer: launch.issuer, clientId: launch.clientId, lineItem: launch.lineItem, userId: launch.userId, score: buildScore(launch.userId, report.percent, now) }, now);
    }
    this.#o.onEnqueued?.();
    return launches.length;
  }
}
