export { openStore, storeOptionsFromEnv, type StoreOptions } from './open-store.js';
export type { Store, StoreEngine, CompleteInput, UncompleteInput } from './store.js';
export type { LtiCourseView, LtiLaunchRecord, LtiPersonRecord, LtiOperations, LtiOutboxEntry, LtiOutboxOperations, LtiOutboxScore, LtiPlatformRecord, LtiToolKeyOperations, LtiToolKeyRecord } from './lti.js';
export type { ConsumedLink, LearnerSession, NewLearnerLink, NewLearnerSession, SessionOperations } from './sessions.js';
export {
  LearnerIdSchema,
  CompletionSourceSchema,
  EventTypeSchema,
  type LearnerId,
  type CompletionSource,
  type EventType,
  type Completion,
  type StartedPath,
  type PathState,
  type LearnerEvent,
  type EventPage,
  type WriteResult,
} from './model.js';
export { StoreUnavailableError, StoreLockedError, StoreInputError, StoreClosedError, isUnavailable } from './errors.js';
export { completedPathSlugs, dependsOnOtherPaths, evaluateStoredProgress, type CatalogPaths } from './progress.js';
export { encodeEventCursor } from './cursor.js';
export { migrationNames } from './migrations/index.js';
export { MIGRATION_TABLE } from './migrate.js';
export { LOCK_FILE } from './data-dir-lock.js';
export {
  ApiKeyScopeSchema,
  ApiKeyNameSchema,
  API_KEY_SCOPES,
  ApiKeyConfigError,
  createApiKey,
  createApiKeyring,
  formatApiKeyEntry,
  hashApiKeySecret,
  loadApiKeys,
  parseApiKeyEntry,
  parseApiKeys,
  type ApiKey,
  type ApiKeyScope,
  type ApiKeyring,
  type NewApiKey,
} from './keys.js';
