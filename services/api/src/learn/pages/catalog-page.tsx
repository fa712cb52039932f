import type { LearningPath } from '@learnpath/schema';
import { formatMinutes } from '../learner-view.js';
import { markdownText } from '../markdown.js';
import { countOf, levelLabel } from '../text.js';
import { learnUrl } from '../urls.js';

/** What the catalog page shows. */
export interface CatalogPageProps {
  /** The paths of this page. */
  paths: LearningPath[];
  /** How many paths match the search and filters (every page). */
  matched: number;
  /** How many paths the catalog has. */
  total: number;
  /** The next page, or null on the last. */
  next: string | null;
  /** The first page, or null on it. */
  first: string | null;
  query: { q: string; tag: string; level: string };
  tags: string[];
}

const excerpt = (overview: string): string => {
  const text = markdownText(overview);
  return text.length <= 220 ? text : `${text.slice(0, 219).trimEnd()}…`;
};

/** The catalog for people: search, filters, and each path with level, total time and resource count. */
export function CatalogPage({ paths, matched, total, query, tags, next, first }: CatalogPageProps) {
  const filtered = query.q !== '' || query.tag !== '' || query.level !== '';
  return (
    <div className="catalog-page">
      <h1>Learning paths</h1>
      <form className="filters" method="get" action="/learn" role="search">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input type="search" id="q" name="q" defaultValue={query.q} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="tag">Tag</label>
          <select id="tag" name="tag" defaultValue={query.tag}>
            <option value="">Any tag</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="level">Level</label>
          <select id="level" name="level" defaultValue={query.level}>
            <option value="">Any level</option>
            <option value="beginner">Beginner</option>
            <option value="intermediate">Intermediate</option>
            <option value="advanced">Advanced</option>
          </select>
        </div>
        <button type="submit" className="button primary">
          Show paths
        </button>
      </form>
      <p role="status">{filtered ? `${countOf(matched, 'path')} of ${total} match.` : `${countOf(total, 'path')}.`}</p>
      <ul className="path-cards">
        {paths.map((path) => (
          <li key={path.slug} className="path-card">
            <h2>
              <a href={learnUrl(path.slug)}>{path.title}</a>
            </h2>
            <p className="facts">
              {path.level !== null ? <span className="badge">{levelLabel(path.level)}</span> : null}
              <span>{formatMinutes(path.totalMinutes)}</span>
              <span>{countOf(path.resourceCount, 'resource')}</span>
            </p>
            {path.overview.trim() !== '' ? <p>{excerpt(path.overview)}</p> : null}
            {path.tags.length > 0 ? (
              <p className="tags">
                {path.tags.map((tag) => (
                  <a key={tag} className="tag" href={`/learn?tag=${encodeURIComponent(tag)}`}>
                    {`#${tag}`}
                  </a>
                ))}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {next !== null || first !== null ? (
        <nav className="pages" aria-label="Pages of paths">
          {first !== null ? <a href={first}>First page</a> : null}
          {next !== null ? (
            <a href={next} rel="next">
              Next page
            </a>
          ) : null}
        </nav>
      ) : null}
      {filtered && matched === 0 ? (
        <p>
          No path matches. <a href="/learn">Show every path</a>.
        </p>
      ) : null}
    </div>
  );
}
