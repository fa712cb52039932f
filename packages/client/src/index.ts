export { createLearnpathClient, unwrap } from './client.js';
export type { LearnpathClient, LearnpathClientOptions } from './client.js';
export { paginate, paginateLearner } from './paginate.js';
export type { PagedPath, PageQuery, PageItem, LearnerPagedPath, LearnerPageQuery, LearnerPageItem } from './paginate.js';
export { LearnpathProblemError } from './problem-error.js';
export type { LearnpathProblem } from './problem-error.js';
export type { paths, components, operations } from './generated/openapi.js';
