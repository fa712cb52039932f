import { effectiveNext, type LearningPath, type Phase, type Resource } from '@learnpath/schema';
import { formatMinutes, STATE_LABELS, type LearnerView } from '../learner-view.js';
import { kindLabel } from '../text.js';
import { learnUrl } from '../urls.js';
import { MarkButton } from './mark-button.js';
import { DependencyLink, type PathTitles } from './path-page.js';

/** What the resource page needs. */
export interface ResourcePageProps {
  path: LearningPath;
  phase: Phase;
  resource: Resource;
  view: LearnerView;
  pathTitles: PathTitles;
  /** Whether the page was launched by an LMS as a cmi5 assignable unit. */
  cmi5: boolean;
  /** Where the page reports a cmi5 completion for the progress store, when this launch's LRS is allowed; otherwise the page reports nothing. */
  cmi5Report?: string | null;
  /** The learner's saved marks when the page is shown in a session; null when marks stay in the browser. */
  stored?: string[] | null;
}

function NextStep({ path, resource, pathTitles }: { path: LearningPath; resource: Resource; pathTitles: PathTitles }) {
  const next = effectiveNext(path, resource.id);
  if (next === null) return <p>This is the last resource of the path.</p>;
  if ('resource' in next) {
    const target = path.phases.flatMap((p) => p.resources).find((r) => r.id === next.resource);
    return (
      <p>
        <a href={learnUrl(path.slug, next.resource)} rel="next">
          {target?.title ?? next.resource}
        </a>
        {target ? ` — ${kindLabel(target.kind)}${target.durationMinutes === null ? '' : `, ${formatMinutes(target.durationMinutes)}`}` : ''}
      </p>
    );
  }
  return (
    <p>
      <DependencyLink path={path} dep={next} pathTitles={pathTitles} />
    </p>
  );
}

/** One resource: what, why, how long, what it depends on, a way to open it and what comes next. */
export function ResourcePage({ path, phase, resource, view, pathTitles, cmi5, cmi5Report = null, stored = null }: ResourcePageProps) {
  const rv = view.resources.get(resource.id);
  const state = rv?.state ?? 'locked';
  const position = phase.resources.findIndex((r) => r.id === resource.id) + 1;
  const dependencies = [...phase.dependsOn, ...resource.dependsOn];
  const previous = phase.sequential && position > 1 ? phase.resources[position - 2] : undefined;
  return (
    <article className="resource-page" data-learn-path={JSON.stringify(path)} data-slug={path.slug} data-resource-page={resource.id} data-stored-completed={stored === null ? undefined : JSON.stringify(stored)}>
      <h1>{resource.title}</h1>
      <dl className="resource-facts">
        <dt>What</dt>
        <dd>{`${kindLabel(resource.kind)} in Phase ${phase.number}: ${phase.title} (${position} of ${phase.resources.length}${phase.sequential ? ', in order' : ''})`}</dd>
        <dt>Why</dt>
        <dd>{resource.focus ?? 'No focus given.'}</dd>
        <dt>How long</dt>
        <dd>{resource.durationMinutes === null ? 'Not given' : formatMinutes(resource.durationMinutes)}</dd>
        <dt>Depends on</dt>
        <dd>
          {dependencies.length === 0 && previous === undefined ? (
            'Nothing: you can start here.'
          ) : (
            <ul>
              {dependencies.map((dep, i) => (
                <li key={i}>
                  <DependencyLink path={path} dep={dep} pathTitles={pathTitles} />
                </li>
              ))}
              {previous ? (
                <li>
                  <a href={learnUrl(path.slug, previous.id)}>{previous.title}</a>
                  {' (the resource before it)'}
                </li>
              ) : null}
            </ul>
          )}
        </dd>
      </dl>
      <ul className="resources single">
        <li className={`resource state-${state}`} data-resource-id={resource.id}>
          <p className="state-line">
            <span className="state-label" data-state-label="">
              {STATE_LABELS[state]}
            </span>
            <span className="next-flag" data-next-flag="" hidden={view.report.next?.id !== resource.id}>
              {' · Next up'}
            </span>
            <span className="state-reason" data-state-reason="">
              {rv?.reason ? ` — ${rv.reason}` : ''}
            </span>
          </p>
          <div className="actions">
            {resource.url !== null ? (
              <a className="button primary" href={resource.url} target="_blank" rel="noopener noreferrer">
                {'Open '}
                <span className="visually-hidden">{`${resource.title} `}</span>
                <span aria-hidden="true">↗</span>
                <span className="visually-hidden">(opens in a new tab)</span>
              </a>
            ) : (
              <p className="no-link">This resource has no link yet: find it by its title.</p>
            )}
            <MarkButton resourceId={resource.id} title={resource.title} done={state === 'completed'} />
          </div>
        </li>
      </ul>
      {cmi5 ? (
        <section className="cmi5-panel" aria-labelledby="cmi5-heading" data-cmi5-panel="" {...(cmi5Report ? { 'data-cmi5-report': cmi5Report } : {})}>
          <h2 id="cmi5-heading">Your course</h2>
          <p data-cmi5-status="starting" role="status">
            Connecting to your learning management system…
          </p>
          <button type="button" className="button" data-cmi5-exit="" hidden>
            Exit and return to the course
          </button>
        </section>
      ) : null}
      <section aria-labelledby="next-heading">
        <h2 id="next-heading">What comes next</h2>
        <NextStep path={path} resource={resource} pathTitles={pathTitles} />
      </section>
      <p>
        <a href={`${learnUrl(path.slug)}#resource-${resource.id}`}>{`Back to ${path.title}`}</a>
      </p>
    </article>
  );
}
