export { learnRoutes } from './plugin.js';
export type { LearnRouteOptions } from './plugin.js';
export { describeLearnerView, formatMinutes } from './learner-view.js';
export type { LearnerView, ResourceView } from './learner-view.js';
export { layoutPathGraph } from './graph-layout.js';
export type { GraphLayout } from './graph-layout.js';
