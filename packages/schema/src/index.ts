export { SlugSchema, slugify, hashString } from './slug.js';
export {
  ResourceKindSchema,
  RESOURCE_KINDS,
  UrlSchema,
  MAX_MINUTES,
  PhaseRefSchema,
  ResourceRefSchema,
  PathRefSchema,
  ReferenceSchema,
  DependencySchema,
  NextStepSchema,
  PrerequisiteSchema,
  LinkSchema,
  VideoSchema,
  ChecklistTargetSchema,
  ChecklistItemSchema,
  LevelSchema,
  ResourceSchema,
  PhaseSchema,
  LearningPathSchema,
} from './model.js';
export type {
  ResourceKind,
  Reference,
  PhaseRef,
  ResourceRef,
  PathRef,
  Dependency,
  NextStep,
  Prerequisite,
  Link,
  Video,
  ChecklistTarget,
  ChecklistItem,
  Level,
  Resource,
  Phase,
  LearningPath,
} from './model.js';
export {
  ResourceDocumentSchema,
  PhaseDocumentSchema,
  LearningPathDocumentSchema,
  compilePath,
  toDocument,
  sumMinutes,
} from './document.js';
export type { ResourceDocument, PhaseDocument, LearningPathDocument, ParsedDocument } from './document.js';
export { DIAGNOSTIC_CODES, diagnosticName, SeveritySchema, DiagnosticSchema, formatDiagnostic } from './diagnostics.js';
export type { DiagnosticCode, Severity, Diagnostic } from './diagnostics.js';
export { validatePath, pathReferences } from './validate.js';
export { indexPath } from './path-index.js';
export type { PathIndex, PlacedResource } from './path-index.js';
export type { PathIssue, PathPointer } from './validate.js';
export {
  findCycles,
  topologicalOrder,
  longestChain,
  effectiveNext,
  buildPathGraph,
  DependencyCycleError,
  LongestChainSchema,
  GraphEdgeSchema,
  GraphNodeSchema,
  PathGraphSchema,
} from './graph.js';
export type { LongestChain, GraphEdge, GraphNode, PathGraph } from './graph.js';
export {
  ResourceStateSchema,
  PhaseStateSchema,
  ProgressReportSchema,
  evaluateProgress,
  unknownResourceIds,
} from './progress.js';
export type { ResourceState, PhaseState, ProgressReport, ProgressOptions } from './progress.js';
export {
  PathSummarySchema,
  PathListSchema,
  ResourceEntrySchema,
  ResourceListSchema,
  ProgressRequestSchema,
  HealthSchema,
  HealthReasonSchema,
  DiagnosticCountsSchema,
  ProblemErrorSchema,
  ProblemSchema,
  PROBLEM_TEXT_MAX,
} from './responses.js';
export type { PathSummary, PathList, ResourceEntry, ResourceList, ProgressRequest, Health, HealthReason, DiagnosticCounts, ProblemErrorItem, Problem } from './responses.js';
export { LEARNER_LINK_LIFETIME, LearnerLinkRequestSchema, LearnerLinkSchema, type LearnerLink, type LearnerLinkRequest } from './learner-link.js';
export {
  LearnerIdSchema,
  CompletionSourceSchema,
  EventTypeSchema,
  CompletionRequestSchema,
  LearnerProgressSchema,
  LearnerPathSchema,
  LearnerPathListSchema,
  LearnerEventSchema,
  LearnerEventListSchema,
} from './learner.js';
export type {
  LearnerId,
  CompletionSource,
  EventType,
  CompletionRequest,
  LearnerProgress,
  LearnerPath,
  LearnerPathList,
  LearnerEventEntry,
  LearnerEventList,
} from './learner.js';
