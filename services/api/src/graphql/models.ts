import type { Catalog } from '@learnpath/content';
import type { LearningPath } from '@learnpath/schema';
import type { Resource } from '@learnpath/schema';
import type { Page } from './connections.js';

/** What every resolver receives: the catalog snapshot of the request. */
export interface GraphqlContext {
  /** The catalog this request reads; taken once per request so a swap never mixes versions. */
  catalog: Catalog;
}

/** The parent value of `SupplementaryMaterial`: the path whose material it is. */
export interface SupplementaryModel {
  supplementary: LearningPath;
}

/** The parent value of `PathConnection`. */
export type PathPageModel = Page<LearningPath>;
/** The parent value of `ResourceConnection`. */
export type ResourcePageModel = Page<Resource>;
/** The parent value of `PathEdge`. */
export type PathEdgeModel = PathPageModel['edges'][number];
/** The parent value of `ResourceEdge`. */
export type ResourceEdgeModel = ResourcePageModel['edges'][number];
