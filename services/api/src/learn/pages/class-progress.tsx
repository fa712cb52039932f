/** One learner of a class on a path, as an instructor sees them. */
export interface ClassProgressRow {
  /** The learner's name (or email) when the platform may leave it with the tool; otherwise an anonymised label. */
  label: string;
  /** Whether `label` is a kept name rather than an anonymised label. */
  named: boolean;
  percent: number;
  completed: number;
  total: number;
  /** When the learner's marks on the path last changed (ISO-8601), or null when never. */
  updatedAt: string | null;
}

/** A class's progress on one path: counts and one row per learner. */
export interface ClassProgressView {
  /** The course's title, when the platform named it. */
  course: string | null;
  learners: number;
  completed: number;
  inProgress: number;
  averagePercent: number;
  rows: ClassProgressRow[];
}

/** The class's progress on the path: shown on the path page to an instructor's session only. */
export function ClassProgress({ view }: { view: ClassProgressView }) {
  return (
    <section className="class-progress" aria-labelledby="class-progress-heading" data-class-progress="">
      <h2 id="class-progress-heading">{view.course ? `Class progress: ${view.course}` : 'Class progress'}</h2>
      <dl className="class-counts">
        <dt>Learners</dt>
        <dd data-summary="learners">{String(view.learners)}</dd>
        <dt>Completed</dt>
        <dd data-summary="completed">{String(view.completed)}</dd>
        <dt>In progress</dt>
        <dd data-summary="in-progress">{String(view.inProgress)}</dd>
        <dt>Average</dt>
        <dd data-summary="average">{`${view.averagePercent}%`}</dd>
      </dl>
      {view.rows.length === 0 ? (
        <p>No learner has opened this path from the course yet.</p>
      ) : (
        <table>
          <caption>Each learner's progress on this path</caption>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Progress</th>
              <th scope="col">Resources done</th>
              <th scope="col">Last update</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row, index) => (
              <tr key={index} data-class-row="">
                <th scope="row" data-learner-named={row.named ? 'true' : 'false'}>
                  {row.label}
                </th>
                <td data-row-percent="">{`${row.percent}%`}</td>
                <td data-row-count="">{`${row.completed} of ${row.total}`}</td>
                <td>{row.updatedAt === null ? '—' : <time dateTime={row.updatedAt}>{row.updatedAt.slice(0, 16).replace('T', ' ')} UTC</time>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
