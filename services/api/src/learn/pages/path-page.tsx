import type { LearningPath, Reference } from '@learnpath/schema';
import { PathGraphSvg } from '../graph-svg.js';
import { formatMinutes, STATE_LABELS, type LearnerView } from '../learner-view.js';
import { InlineMarkdown, Markdown } from '../markdown.js';
import { countOf, kindLabel, levelLabel } from '../text.js';
import { learnUrl, resourceAnchor } from '../urls.js';
import { ClassProgress, type ClassProgressView } from './class-progress.js';
import { MarkButton } from './mark-button.js';
import { ProgressPanel } from './progress-panel.js';

/** What the path page needs. */
/** The titles of the catalog's paths by slug, for links to other paths. */
export interface PathTitles {
  get(slug: string): string | undefined;
  has(slug: string): boolean;
}

export interface PathPageProps {
  path: LearningPath;
  view: LearnerView;
  /** Titles of the catalog's paths by slug, to link prerequisites and dependencies on other paths. */
  pathTitles: PathTitles;
  /** The learner's saved marks when the page is shown in a session; null when marks stay in the browser. */
  stored?: string[] | null;
  /** The class's progress, for an instructor's session only. */
  classProgress?: ClassProgressView | null;
}

/** A dependency as a link: a phase on this page, a resource page, or another path. */
export function DependencyLink({ path, dep, pathTitles }: { path: LearningPath; dep: Reference; pathTitles: PathTitles }) {
  if ('phase' in dep) {
    const phase = path.phases.find((p) => p.id === dep.phase);
    return <a href={`${learnUrl(path.slug)}#phase-${dep.phase}`}>{phase ? `Phase ${phase.number}: ${phase.title}` : dep.phase}</a>;
  }
  if ('resource' in dep) {
    const resource = path.phases.flatMap((p) => p.resources).find((r) => r.id === dep.resource);
    return <a href={learnUrl(path.slug, dep.resource)}>{resource?.title ?? dep.resource}</a>;
  }
  const title = pathTitles.get(dep.path);
  return title === undefined ? <span>{`the path “${dep.path}”`}</span> : <a href={learnUrl(dep.path)}>{`the path “${title}”`}</a>;
}

/** A learning path as a learner uses it. */
export function PathPage({ path, view, pathTitles, stored = null, classProgress = null }: PathPageProps) {
  const nextId = view.report.next?.id;
  const phaseStates = new Map(view.report.phases.map((p) => [p.id, p] as const));
  return (
    <article className="path-page" data-learn-path={JSON.stringify(path)} data-slug={path.slug} data-stored-completed={stored === null ? undefined : JSON.stringify(stored)}>
      <h1>{path.title}</h1>
      <p className="facts">
        {path.level !== null ? <span className="badge">{levelLabel(path.level)}</span> : null}
        <span>{`${formatMinutes(path.totalMinutes)} in total`}</span>
        <span>{countOf(path.resourceCount, 'resource')}</span>
        {path.tags.map((tag) => (
          <a key={tag} className="tag" href={`/learn?tag=${encodeURIComponent(tag)}`}>
            {`#${tag}`}
          </a>
        ))}
      </p>
      <ProgressPanel path={path} view={view} saved={stored !== null} />
      {classProgress ? <ClassProgress view={classProgress} /> : null}
      {path.overview.trim() !== '' ? (
        <section aria-labelledby="overview-heading">
          <h2 id="overview-heading">Overview</h2>
          <Markdown source={path.overview} />
        </section>
      ) : null}
      {path.prerequisites.length > 0 ? (
        <section aria-labelledby="prerequisites-heading">
          <h2 id="prerequisites-heading">Prerequisites</h2>
          <ul>
            {path.prerequisites.map((p, i) => (
              <li key={i}>
                <InlineMarkdown source={p.text} />
                {p.path !== null && pathTitles.has(p.path) ? (
                  <>
                    {' — '}
                    <a href={learnUrl(p.path)}>{`see the path “${pathTitles.get(p.path)}”`}</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="phases-heading">
        <h2 id="phases-heading">Learning path</h2>
        {path.phases.map((phase) => {
          const state = phaseStates.get(phase.id);
          return (
            <section key={phase.id} className="phase" id={`phase-${phase.id}`} data-phase-id={phase.id} aria-labelledby={`phase-${phase.id}-heading`}>
              <h3 id={`phase-${phase.id}-heading`}>{`Phase ${phase.number}: ${phase.title}`}</h3>
              <p className="phase-meta">
                {`${countOf(phase.resources.length, 'resource')} · ${formatMinutes(phase.totalMinutes)}${phase.sequential ? ' · in order' : ''} · `}
                <span data-phase-percent="">{`${state?.percent ?? 0}% done`}</span>
              </p>
              {phase.dependsOn.length > 0 ? (
                <p className="phase-deps">
                  {'Starts after '}
                  {phase.dependsOn.map((dep, i) => (
                    <span key={i}>
                      {i > 0 ? ', ' : ''}
                      <DependencyLink path={path} dep={dep} pathTitles={pathTitles} />
                    </span>
                  ))}
                </p>
              ) : null}
              <ol className="resources">
                {phase.resources.map((resource) => {
                  const rv = view.resources.get(resource.id);
                  const s = rv?.state ?? 'locked';
                  return (
                    <li
                      key={resource.id}
                      id={resourceAnchor(resource.id)}
                      className={`resource state-${s}${resource.id === nextId ? ' is-next' : ''}`}
                      data-resource-id={resource.id}
                    >
                      <div className="resource-head">
                        <span className="kind">{kindLabel(resource.kind)}</span>
                        <a className="resource-title" href={learnUrl(path.slug, resource.id)}>
                          {resource.title}
                        </a>
                        <span className="duration">{resource.durationMinutes === null ? 'Duration not given' : formatMinutes(resource.durationMinutes)}</span>
                      </div>
                      {resource.focus !== null ? <p className="focus">{resource.focus}</p> : null}
                      <p className="state-line">
                        <span className="state-label" data-state-label="">
                          {STATE_LABELS[s]}
                        </span>
                        <span className="next-flag" data-next-flag="" hidden={resource.id !== nextId}>
                          {' · Next up'}
                        </span>
                        <span className="state-reason" data-state-reason="">
                          {rv?.reason ? ` — ${rv.reason}` : ''}
                        </span>
                      </p>
                      <MarkButton resourceId={resource.id} title={resource.title} done={s === 'completed'} />
                    </li>
                  );
                })}
              </ol>
            </section>
          );
        })}
      </section>
      <section aria-labelledby="graph-heading" className="graph-section">
        <h2 id="graph-heading">Dependency graph</h2>
        <p className="graph-legend">
          <span className="legend legend-completed">Completed</span> <span className="legend legend-available">Available</span>{' '}
          <span className="legend legend-locked">Locked</span> <span className="legend legend-next">Next up</span>
        </p>
        <div className="graph-scroll">
          <PathGraphSvg path={path} view={view} />
        </div>
      </section>
      {path.additionalResources.length > 0 ? (
        <section aria-labelledby="additional-heading">
          <h2 id="additional-heading">Additional resources</h2>
          <ul>
            {path.additionalResources.map((link, i) => (
              <li key={i}>
                {link.url !== null ? <a href={link.url}>{link.title}</a> : <span>{link.title}</span>}
                {link.description !== null ? ` — ${link.description}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {path.supplementaryVideos.length > 0 ? (
        <section aria-labelledby="videos-heading">
          <h2 id="videos-heading">Supplementary videos</h2>
          <ul>
            {path.supplementaryVideos.map((video, i) => (
              <li key={i}>
                {video.url !== null ? <a href={video.url}>{video.title}</a> : <span>{video.title}</span>}
                {[video.durationMinutes === null ? null : formatMinutes(video.durationMinutes), video.channel].filter((t) => t !== null).map((t) => ` — ${t}`).join('')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {path.checklist.length > 0 ? (
        <section aria-labelledby="checklist-heading">
          <h2 id="checklist-heading">Completion checklist</h2>
          <ul className="checklist">
            {view.report.checklist.map((item, i) => (
              <li key={i}>
                <input type="checkbox" id={`check-${i}`} data-check={i} defaultChecked={item.checked} data-auto={item.target !== null && typeof item.target === 'object' ? 'phase' : undefined} />
                <label htmlFor={`check-${i}`}>{item.label}</label>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {path.notes !== null && path.notes.trim() !== '' ? (
        <section aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
          <Markdown source={path.notes} />
        </section>
      ) : null}
    </article>
  );
}
