import { z } from 'zod';
import { SlugSchema } from './slug.js';
import { ReferenceSchema, ResourceKindSchema, NextStepSchema, type LearningPath, type NextStep, type Reference } from './model.js';

/**
 * The combined graph of a path. Nodes are numbered in document order: each phase's resources,
 * then the completion of the phase itself; a repeated id is the node of its first use.
 */
interface DependencyGraph {
  /** The id of each node. */
  ids: string[];
  /** Whether each node is the completion of a phase (else it is a resource). */
  phase: boolean[];
  /** Prerequisite → dependents. */
  out: number[][];
  /** Minutes of each node (0 for a phase). */
  weight: number[];
}

/** Builds the combined graph. Unknown references are skipped: `validatePath` reports them. */
function buildDependencyGraph(path: LearningPath): DependencyGraph {
  const graph: DependencyGraph = { ids: [], phase: [], out: [], weight: [] };
  const resources = new Map<string, number>();
  const phases = new Map<string, number>();
  const addNode = (nodes: Map<string, number>, id: string, phase: boolean, minutes: number): void => {
    if (nodes.has(id)) return;
    nodes.set(id, graph.ids.length);
    graph.ids.push(id);
    graph.phase.push(phase);
    graph.out.push([]);
    graph.weight.push(minutes);
  };
  const addEdge = (from: number | undefined, to: number): void => {
    if (from === undefined) return;
    const list = graph.out[from]!;
    if (!list.includes(to)) list.push(to);
  };
  // Other paths are outside this graph.
  const refNode = (ref: Reference): number | undefined => ('phase' in ref ? phases.get(ref.phase) : 'resource' in ref ? resources.get(ref.resource) : undefined);
  for (const phase of path.phases) {
    for (const r of phase.resources) addNode(resources, r.id, false, r.durationMinutes ?? 0);
    addNode(phases, phase.id, true, 0);
  }
  for (const phase of path.phases) {
    const pk = phases.get(phase.id)!;
    const phaseDeps = phase.dependsOn.map(refNode).filter((n): n is number => n !== undefined);
    // An empty phase still carries its own dependencies so that cycles through it show.
    if (phase.resources.length === 0) for (const dep of phaseDeps) addEdge(dep, pk);
    phase.resources.forEach((r, index) => {
      const rk = resources.get(r.id)!;
      addEdge(rk, pk);
      for (const dep of phaseDeps) addEdge(dep, rk);
      for (const dep of r.dependsOn) addEdge(refNode(dep), rk);
      const previous = index > 0 ? phase.resources[index - 1] : undefined;
      if (phase.sequential && previous) addEdge(resources.get(previous.id), rk);
    });
  }
  return graph;
}

/** How a cycle names a node: a resource by its id, a phase as "phase id". */
function describeNode(graph: DependencyGraph, node: number): string {
  return graph.phase[node] ? `phase ${graph.ids[node]}` : graph.ids[node]!;
}

/** Finds the dependency cycles of a path, each as the chain of node names that closes on itself. */
export function findCycles(path: LearningPath): string[][] {
  const graph = buildDependencyGraph(path);
  const count = graph.ids.length;
  // Tarjan's strongly connected components, iterative so deep graphs cannot overflow the stack.
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; next: number }[] = [{ node: root, next: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.out[frame.node]!;
      if (frame.next < edges.length) {
        const target = edges[frame.next++]!;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack.push(target);
          onStack[target] = 1;
          work.push({ node: target, next: 0 });
        } else if (onStack[target]) {
          low[frame.node] = Math.min(low[frame.node]!, index[target]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = graph.out[frame.node]!.includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => cycleWithin(graph, new Set(component)).map((node) => describeNode(graph, node)));
}

/** Walks a strongly connected component from its first node in document order back to itself. */
function cycleWithin(graph: DependencyGraph, members: Set<number>): number[] {
  // The first in document order; a loop, since a component may hold too many nodes to spread as arguments.
  let start = Infinity;
  for (const member of members) if (member < start) start = member;
  // Breadth-first search for the shortest way back to the start.
  const previous = new Map<number, number>();
  const queue: number[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of graph.out[node]!) {
      if (!members.has(next)) continue;
      if (next === start) {
        const chain: number[] = [node];
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

/** Topological order of the combined graph, ties broken by document order; null when it has a cycle. */
function orderNodes(graph: DependencyGraph): number[] | null {
  const count = graph.ids.length;
  const indegree = new Int32Array(count);
  for (const targets of graph.out) for (const t of targets) indegree[t]!++;
  // A binary heap on the node numbers (document order) keeps the order stable and the sort O(n log n).
  const heap: number[] = [];
  const push = (n: number): void => {
    heap.push(n);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[i]! >= heap[p]!) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]! < heap[m]!) m = l;
        if (r < heap.length && heap[r]! < heap[m]!) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  for (let n = 0; n < count; n++) if (indegree[n] === 0) push(n);
  const order: number[] = [];
  while (heap.length > 0) {
    const n = pop();
    order.push(n);
    for (const t of graph.out[n]!) if (--indegree[t]! === 0) push(t);
  }
  return order.length === count ? order : null;
}

/**
 * Resource ids in an order that respects every dependency (resource, phase and sequence),
 * ties broken by document order. Throws `DependencyCycleError` naming the cycle.
 */
export function topologicalOrder(path: LearningPath): string[] {
  const graph = buildDependencyGraph(path);
  const order = orderNodes(graph);
  if (order === null) throw new DependencyCycleError(findCycles(path)[0] ?? []);
  return order.filter((n) => !graph.phase[n]).map((n) => graph.ids[n]!);
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
  // The most minutes that reach each node (its own included once it is processed), and from where.
  const count = graph.ids.length;
  const reached = new Uint8Array(count);
  const minutes = new Float64Array(count);
  const via = new Int32Array(count).fill(-1);
  for (const n of order) {
    minutes[n] = (reached[n] ? minutes[n]! : 0) + graph.weight[n]!;
    reached[n] = 1;
    for (const t of graph.out[n]!) {
      if (!reached[t] || minutes[t]! < minutes[n]!) {
        reached[t] = 1;
        minutes[t] = minutes[n]!;
        via[t] = n;
      }
    }
  }
  let end = -1;
  let max = -1;
  for (const n of order) {
    if (!graph.phase[n] && minutes[n]! > max) {
      max = minutes[n]!;
      end = n;
    }
  }
  const chain: string[] = [];
  for (let n = end; n !== -1; n = via[n]!) if (!graph.phase[n]) chain.unshift(graph.ids[n]!);
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
