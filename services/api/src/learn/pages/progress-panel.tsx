import type { LearningPath } from '@learnpath/schema';
import { formatMinutes, type LearnerView } from '../learner-view.js';
import { learnUrl } from '../urls.js';

/** The progress bar, percent, minutes left and the next recommended resource. */
export function ProgressPanel({ path, view, saved = false }: { path: LearningPath; view: LearnerView; saved?: boolean }) {
  const { report } = view;
  const next = report.next;
  const phase = next ? path.phases.find((p) => p.id === next.phaseId) : undefined;
  return (
    <section className="progress-panel" aria-labelledby="progress-heading">
      <h2 id="progress-heading">Your progress</h2>
      <progress id="progress-bar" max={100} value={report.percent} aria-labelledby="progress-heading">
        {`${report.percent}%`}
      </progress>
      <p className="progress-numbers" aria-live="polite">
        <strong data-progress-percent="">{`${report.percent}%`}</strong>
        {' done · '}
        <span data-progress-count="">{`${report.completedCount} of ${report.totalCount}`}</span>
        {' resources · '}
        <span data-progress-left="">{formatMinutes(report.remainingMinutes)}</span>
        {' left'}
      </p>
      <div className="next-step" data-next="">
        {next ? (
          <p>
            <span className="next-label">Next up: </span>
            <a href={learnUrl(path.slug, next.id)} data-next-link="">
              {next.title}
            </a>
            <span data-next-phase="">{phase ? ` in Phase ${phase.number}: ${phase.title}` : ''}</span>
          </p>
        ) : (
          <p>{report.totalCount > 0 && report.completedCount === report.totalCount ? 'You have completed every resource of this path.' : 'Nothing is available yet.'}</p>
        )}
      </div>
      <p className="storage-note" data-storage-note="">
        {saved ? 'Your marks are saved to your account.' : 'Marks you make are kept in this browser only.'}
      </p>
      {saved ? (
        <div className="import-panel" data-import-panel="" hidden>
          <p data-import-text="" />
          <button type="button" className="button" data-import-button="">
            Import them
          </button>
        </div>
      ) : null}
    </section>
  );
}
