import { z } from 'zod';
import { SlugSchema } from './slug.js';
import { ReferenceSchema, ResourceKindSchema, NextStepSchema, type LearningPath, type NextStep, type Reference } from './model.js';

/** A node of the combined graph: a resource, or the completion of a phase. */
type NodeKey = string;
const resourceKey = (id: string): NodeKey => `r:${id}`;
const phaseKey = (id: string): NodeKey => `p:${id}`;

interface DependencyGraph {
  /** Node keys in document order: each phase's resources, then the phase itself. */
  nodes: NodeKey[];
  /** Prerequisite → dependents. */
  out: Map<NodeKey, NodeKey[]>;
  /** Minutes of each resource node. */
  weight: Map<NodeKey, number>;
}

/** Builds the combined graph. Unknown references are skipped: `validatePath` reports them. */
function buildDependencyGraph(path: LearningPath): DependencyGraph {
  const nodes: NodeKey[] = [];
  const out = new Map<NodeKey, NodeKey[]>();
  const weight = new Map<NodeKey, number>();
  const phaseIds = new Set(path.phases.map((p) => p.id));
  const resourceIds = new Set(path.phases.flatMap((p) => p.resources.map((r) => r.id)));
  const addNode = (key: NodeKey): void => {
    if (!out.has(key)) {
      out.set(key, []);
      nodes.push(key);
    }
  };
  const addEdge = (from: NodeKey, to: NodeKey): void => {
    const list = out.get(from);
    if (list && !list.includes(to)) list.push(to);
  };
  const refKey = (ref: Reference): NodeKey | null => {
    if ('phase' in ref) return phaseIds.has(ref.phase) ? phaseKey(ref.phase) : null;
    if ('resource' in ref) return resourceIds.has(ref.resource) ? resourceKey(ref.resource) : null;
    return null; // other paths are outside this graph
  };
  for (const phase of path.phases) {
    for (const r of phase.resources) {
      addNode(resourceKey(r.id));
      if (!weight.has(resourceKey(r.id))) weight.set(resourceKey(r.id), r.durationMinutes ?? 0);
    }
    addNode(phaseKey(phase.id));
  }
  for (const phase of path.phases) {
    const pk = phaseKey(phase.id);
    const phaseDeps = phase.dependsOn.map(refKey).filter((k): k is NodeKey => k !== null);
    // An empty phase still carries its own dependencies so that cycles through it show.
    if (phase.resources.length === 0) for (const dep of phaseDeps) addEdge(dep, pk);
    phase.resources.forEach((r, index) => {
      const rk = resourceKey(r.id);
      addEdge(rk, pk);
      for (const dep of phaseDeps) addEdge(dep, rk);
      for (const dep of r.dependsOn) {
        const key = refKey(dep);
        if (key !== null) addEdge(key, rk);
      }
      const previous = index > 0 ? phase.resources[index - 1] : undefined;
      if (phase.sequential && previous) addEdge(resourceKey(previous.id), rk);
    });
  }
  return { nodes, out, weight };
}

function describeKey(key: NodeKey): string {
  return key.startsWith('p:') ? `phase ${key.slice(2)}` : key.slice(2);
}

/**
 * Whether the combined graph has no cycle: the common case, decided on node numbers (Kahn's
 * algorithm) without building the keyed graph that naming a cycle needs.
 */
function isAcyclic(path: LearningPath): boolean {
  // Node numbers as `buildDependencyGraph` makes nodes: a phase's resources, then the phase;
  // a repeated id is the same node.
  const resources = new Map<string, number>();
  const phases = new Map<string, number>();
  let count = 0;
  for (const phase of path.phases) {
    for (const r of phase.resources) if (!resources.has(r.id)) resources.set(r.id, count++);
    if (!phases.has(phase.id)) phases.set(phase.id, count++);
  }
  const out: number[][] = [];
  for (let n = 0; n < count; n++) out.push([]);
  const indegree = new Int32Array(count);
  const edge = (from: number | undefined, to: number): void => {
    if (from === undefined) return;
    out[from]!.push(to);
    indegree[to]!++;
  };
  const refNode = (ref: Reference): number | undefined => ('phase' in ref ? phases.get(ref.phase) : 'resource' in ref ? resources.get(ref.resource) : undefined);
  for (const phase of path.phases) {
    const pk = phases.get(phase.id)!;
    if (phase.resources.length === 0) for (const dep of phase.dependsOn) edge(refNode(dep), pk);
    for (let i = 0; i < phase.resources.length; i++) {
      const r = phase.resources[i]!;
      const rk = resources.get(r.id)!;
      edge(rk, pk);
      for (const dep of phase.dependsOn) edge(refNode(dep), rk);
      for (const dep of r.dependsOn) edge(refNode(dep), rk);
      if (phase.sequential && i > 0) edge(resources.get(phase.resources[i - 1]!.id), rk);
    }
  }
  const ready: number[] = [];
  for (let n = 0; n < count; n++) if (indegree[n] === 0) ready.push(n);
  let done = 0;
  while (ready.length > 0) {
    const n = ready.pop()!;
    done++;
    for (const t of out[n]!) if (--indegree[t]! === 0) ready.push(t);
  }
  return done === count;
}

/** Finds the dependency cycles of a path, each as the chain of node names that closes on itself. */
export function findCycles(path: LearningPath): string[][] {
  if (isAcyclic(path)) return [];
  const graph = buildDependencyGraph(path);
  // Tarjan's strongly connected components, iterative so deep graphs cannot overflow the stack.
  const index = new Map<NodeKey, number>();
  const low = new Map<NodeKey, number>();
  const onStack = new Set<NodeKey>();
  const stack: NodeKey[] = [];
  const components: NodeKey[][] = [];
  let counter = 0;
  for (const root of graph.nodes) {
    if (index.has(root)) continue;
    const work: { node: NodeKey; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.out.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: NodeKey[] = [];
        let member: NodeKey;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (graph.out.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => cycleWithin(graph, new Set(component)).map(describeKey));
}

/** Walks a strongly connected component from its first node in document order back to itself. */
function cycleWithin(graph: DependencyGraph, members: Set<NodeKey>): NodeKey[] {
  const start = graph.nodes.find((n) => members.has(n))!;
  // Breadth-first search for the shortest way back to the start.
  const previous = new Map<NodeKey, NodeKey>();
  const queue: NodeKey[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of graph.out.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const chain: NodeKey[] = [node];
        let cursor = node;
        while (cursor !== start) {
          cursor = previous.get(cursor)!;
          chain.unshift(cursor);
        }
        return [...chain, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Thrown by `topologicalOrder` when a path has a dependency cycle. */
export class DependencyCycleError extends Error {
  /** The cycle, e.g. `["a", "b", "a"]`. */
  readonly cycle: string[];
  constructor(cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' → ')}`);
    this.name = 'DependencyCycleError';
    this.cycle = cycle;
  }
}

/** Topological order of the combined graph, ties broken by document order. */
function orderNodes(graph: DependencyGraph): NodeKey[] | null {
  const position = new Map(graph.nodes.map((n, i) => [n, i]));
  const indegree = new Map<NodeKey, number>(graph.nodes.map((n) => [n, 0]));
  for (const targets of graph.out.values()) for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  // A binary heap on document position keeps the order stable and the sort O(n log n).
  const heap: NodeKey[] = [];
  const less = (a: NodeKey, b: NodeKey): boolean => position.get(a)! < position.get(b)!;
  const push = (n: NodeKey): void => {
    heap.push(n);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): NodeKey => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  for (const n of graph.nodes) if (indegree.get(n) === 0) push(n);
  const order: NodeKey[] = [];
  while (heap.length > 0) {
    const n = pop();
    order.push(n);
    for (const t of graph.out.get(n) ?? []) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) push(t);
    }
  }
  return order.length === graph.nodes.length ? order : null;
}

/**
 * Resource ids in an order that respects every dependency (resource, phase and sequence),
 * ties broken by document order. Throws `DependencyCycleError` naming the cycle.
 */
export function topologicalOrder(path: LearningPath): string[] {
  const order = orderNodes(buildDependencyGraph(path));
  if (order === null) throw new DependencyCycleError(findCycles(path)[0] ?? []);
  return order.filter((k) => k.startsWith('r:')).map((k) => k.slice(2));
}

// Bounds of the served graph, from the limits of the model (model.ts): at most 200 phases of
// 1000 resources, each with at most 100 dependencies. They let clients and the OpenAPI
// document rely on finite sizes; no valid path comes near them.
const MAX_PHASES = 200;
const MAX_RESOURCES_PER_PHASE = 1000;
const MAX_RESOURCES = MAX_PHASES * MAX_RESOURCES_PER_PHASE;
const MAX_EDGES = (MAX_RESOURCES + MAX_PHASES) * 100 + MAX_RESOURCES;

/** The chain of dependent resources that takes longest, in minutes. */
export const LongestChainSchema = z
  .object({
    minutes: z.number().nonnegative().describe('Total minutes along the chain.'),
    resourceIds: z.array(SlugSchema).max(MAX_RESOURCES).describe('The resources of the chain, first to last.'),
  })
  .describe('The chain of dependent resources that takes longest: the least time the path takes, done in order.');
export type LongestChain = z.output<typeof LongestChainSchema>;

/** The longest chain of minutes through the dependency graph (throws on cycles). */
export function longestChain(path: LearningPath): LongestChain {
  const graph = buildDependencyGraph(path);
  const order = orderNodes(graph);
  if (order === null) throw new DependencyCycleError(findCycles(path)[0] ?? []);
  const best = new Map<NodeKey, { minutes: number; via: NodeKey | null }>();
  for (const n of order) {
    const here = best.get(n) ?? { minutes: 0, via: null };
    const total = here.minutes + (graph.weight.get(n) ?? 0);
    best.set(n, { minutes: total, via: here.via });
    for (const t of graph.out.get(n) ?? []) {
      const current = best.get(t);
      if (!current || current.minutes < total) best.set(t, { minutes: total, via: n });
    }
  }
  let end: NodeKey | null = null;
  let max = -1;
  for (const n of order) {
    const b = best.get(n)!;
    if (n.startsWith('r:') && b.minutes > max) {
      max = b.minutes;
      end = n;
    }
  }
  const chain: string[] = [];
  for (let n = end; n !== null; n = best.get(n)?.via ?? null) if (n.startsWith('r:')) chain.unshift(n.slice(2));
  return { minutes: Math.round(Math.max(max, 0) * 1000) / 1000, resourceIds: chain };
}

/**
 * The step after a resource: its own `next`, else the following resource of its phase, else
 * the following phase, else null.
 */
export function effectiveNext(path: LearningPath, resourceId: string): NextStep | null {
  for (let p = 0; p < path.phases.length; p++) {
    const phase = path.phases[p]!;
    const index = phase.resources.findIndex((r) => r.id === resourceId);
    if (index < 0) continue;
    const resource = phase.resources[index]!;
    if (resource.next) return resource.next;
    const following = phase.resources[index + 1];
    if (following) return { resource: following.id };
    const nextPhase = path.phases[p + 1];
    return nextPhase ? { phase: nextPhase.id } : null;
  }
  return null;
}

/** An edge of the served graph: `from` must be complete before `to`. */
export const GraphEdgeSchema = z
  .object({
    from: ReferenceSchema.describe('What must be completed first.'),
    to: z
      .union([
        z.object({ phase: SlugSchema.describe('Id of the dependent phase.') }),
        z.object({ resource: SlugSchema.describe('Id of the dependent resource.') }),
      ])
      .describe('What depends on it.'),
    type: z.enum(['dependency', 'sequence']).describe('dependency: authored; sequence: the order of a sequential phase.'),
  })
  .describe('An edge of the dependency graph.');
export type GraphEdge = z.output<typeof GraphEdgeSchema>;

/** A resource as a node of the served graph. */
export const GraphNodeSchema = z
  .object({
    id: SlugSchema.describe('Id of the resource.'),
    title: z.string().max(500).describe('Title of the resource.'),
    kind: ResourceKindSchema,
    phaseId: SlugSchema.describe('Id of the phase the resource belongs to.'),
    durationMinutes: z.number().nullable().describe('Minutes the resource takes, or null.'),
    next: NextStepSchema.nullable().describe('The step after this resource, defaults applied.'),
  })
  .describe('A resource as a node of the dependency graph.');
export type GraphNode = z.output<typeof GraphNodeSchema>;

/** The dependency graph of a path, as served. */
export const PathGraphSchema = z
  .object({
    slug: SlugSchema.describe('Slug of the path.'),
    phases: z
      .array(
        z.object({
          id: SlugSchema.describe('Id of the phase.'),
          title: z.string().max(500).describe('Title of the phase.'),
          number: z.number().int().describe('1-based position of the phase.'),
          sequential: z.boolean().describe('Whether its resources are consumed in order.'),
          resourceIds: z.array(SlugSchema).max(MAX_RESOURCES_PER_PHASE).describe('Its resources, in order.'),
        }),
      )
      .max(MAX_PHASES)
      .describe('The phases, as groups of nodes.'),
    nodes: z.array(GraphNodeSchema).max(MAX_RESOURCES).describe('Every resource of the path.'),
    edges: z.array(GraphEdgeSchema).max(MAX_EDGES).describe('Every dependency: authored ones and the order of sequential phases.'),
    order: z.array(SlugSchema).max(MAX_RESOURCES).describe('Resource ids in topological order (ties in document order).'),
    longestChain: LongestChainSchema,
  })
  .describe('The dependency graph of a path.');
export type PathGraph = z.output<typeof PathGraphSchema>;

/** Builds the served dependency graph of a valid path (throws `DependencyCycleError` on cycles). */
export function buildPathGraph(path: LearningPath): PathGraph {
  const edges: GraphEdge[] = [];
  for (const phase of path.phases) {
    for (const dep of phase.dependsOn) edges.push({ from: dep, to: { phase: phase.id }, type: 'dependency' });
    phase.resources.forEach((r, i) => {
      const previous = i > 0 ? phase.resources[i - 1] : undefined;
      if (phase.sequential && previous) edges.push({ from: { resource: previous.id }, to: { resource: r.id }, type: 'sequence' });
      for (const dep of r.dependsOn) edges.push({ from: dep, to: { resource: r.id }, type: 'dependency' });
    });
  }
  return {
    slug: path.slug,
    phases: path.phases.map((p) => ({
      id: p.id,
      title: p.title,
      number: p.number,
      sequential: p.sequential,
      resourceIds: p.resources.map((r) => r.id),
    })),
    nodes: path.phases.flatMap((p) =>
      p.resources.map((r) => ({
        id: r.id,
        title: r.title,
        kind: r.kind,
        phaseId: p.id,
        durationMinutes: r.durationMinutes,
        next: effectiveNext(path, r.id),
      })),
    ),
    edges,
    order: topologicalOrder(path),
    longestChain: longestChain(path),
  };
}
