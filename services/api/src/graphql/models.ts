import type { Catalog } from '@learnpath/content';
import type { LearnerEventEntry, LearnerPath, LearningPath } from '@learnpath/schema';
import type { Resource } from '@learnpath/schema';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Page } from './connections.js';

/** What every resolver receives: the catalog snapshot of the request. */
export interface GraphqlContext {
  /** The catalog this request reads; taken once per request so a swap never mixes versions. */
  catalog: Catalog;
  /** The HTTP request (its `Authorization` header); absent when the schema is run without one. */
  request?: FastifyRequest;
  /** Its reply (a `Retry-After` header); absent when the schema is run without one. */
  reply?: FastifyReply;
}

/** The parent value of `Learner`: the learner asked for, already checked. */
export interface LearnerModel {
  id: string;
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
/** The parent value of `LearnerPathConnection`. */
export type LearnerPathPageModel = Page<LearnerPath>;
/** The parent value of `LearnerPathEdge`. */
export type LearnerPathEdgeModel = LearnerPathPageModel['edges'][number];
/** The parent value of `LearnerEventConnection` (an event log is not counted). */
export type LearnerEventPageModel = Omit<Page<LearnerEventEntry>, 'totalCount'>;
/** The parent value of `LearnerEventEdge`. */
export type LearnerEventEdgeModel = LearnerEventPageModel['edges'][number];
