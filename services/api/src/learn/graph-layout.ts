import dagre from '@dagrejs/dagre';
import { buildPathGraph, type GraphEdge, type LearningPath, type Reference, type ResourceKind } from '@learnpath/schema';

/** A rectangle, from its top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A resource placed in the picture. */
export interface PlacedNode extends Box {
  id: string;
  phaseId: string;
  /** The title cut into at most three lines. */
  lines: string[];
  title: string;
  kind: ResourceKind;
  durationMinutes: number | null;
}

/** A phase drawn as a frame around its resources. */
export interface PlacedPhase extends Box {
  id: string;
  label: string;
}

/** Another path a resource or phase depends on, drawn above the phases. */
export interface PlacedPath extends Box {
  slug: string;
  label: string;
}

/** A dependency drawn as an arrow: `from` must be done before `to`. */
export interface PlacedEdge {
  /** `resource:id`, `phase:id` or `path:slug`. */
  from: string;
  /** `resource:id` or `phase:id`. */
  to: string;
  type: GraphEdge['type'];
  /** SVG path data. */
  d: string;
}

/** The dependency graph of a path, laid out. */
export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  phases: PlacedPhase[];
  paths: PlacedPath[];
  edges: PlacedEdge[];
}

const NODE_WIDTH = 208;
const LINE_HEIGHT = 17;
const CHARS_PER_LINE = 22;
const PHASE_PADDING = 14;
const PHASE_HEADER = 30;
const PHASE_GAP = 40;
const LANE_GAP = 8;
const MAX_LANES = 12;
// dagre's layout grows faster than linearly; above this many resources in a phase a simple
// layered layout of our own keeps the first render of a huge path fast.
const DAGRE_MAX_NODES = 60;

/** Cuts a title into lines of about `CHARS_PER_LINE` characters, at most three, the last with an ellipsis if cut. */
export function wrapTitle(title: string, maxLines = 3): string[] {
  const words = title.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const pieces = word.length > CHARS_PER_LINE ? (word.match(new RegExp(`.{1,${CHARS_PER_LINE}}`, 'gu')) ?? [word]) : [word];
    for (const piece of pieces) {
      if (current === '') current = piece;
      else if (current.length + 1 + piece.length <= CHARS_PER_LINE) current += ` ${piece}`;
      else {
        lines.push(current);
        current = piece;
      }
    }
  }
  if (current !== '') lines.push(current);
  if (lines.length <= maxLines) return lines.length > 0 ? lines : [''];
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = `${last.slice(0, CHARS_PER_LINE - 1)}…`;
  return kept;
}

const refKey = (ref: Reference | { phase: string } | { resource: string }): string =>
  'resource' in ref ? `resource:${ref.resource}` : 'phase' in ref ? `phase:${ref.phase}` : `path:${ref.path}`;

interface LocalLayout {
  width: number;
  height: number;
  positions: Map<string, { x: number; y: number }>;
  edges: Map<string, { x: number; y: number }[]>;
}

/** Lays out the resources of one phase and the edges between them, with dagre. */
function layoutWithDagre(ids: string[], heights: Map<string, number>, edges: [string, string][]): LocalLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 28, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) g.setNode(id, { width: NODE_WIDTH, height: heights.get(id)! });
  for (const [from, to] of edges) g.setEdge(from, to);
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const id of ids) {
    const n = g.node(id);
    positions.set(id, { x: n.x - n.width / 2, y: n.y - n.height / 2 });
  }
  const points = new Map<string, { x: number; y: number }[]>();
  for (const [from, to] of edges) points.set(`${from}\0${to}`, g.edge(from, to)?.points ?? []);
  const info = g.graph();
  return { width: info.width ?? NODE_WIDTH, height: info.height ?? 0, positions, edges: points };
}

/** Layers by longest path from the phase's first resources, in document order, at most four to a row. */
function layoutInLayers(ids: string[], heights: Map<string, number>, edges: [string, string][]): LocalLayout {
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  const incoming = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, to] of edges) incoming.get(to)?.push(from);
  // Document order is a topological order within a phase for sequence edges; repeat until stable for the rest.
  for (let changed = true, rounds = 0; changed && rounds < ids.length; rounds++) {
    changed = false;
    for (const id of ids) {
      const r = Math.max(0, ...incoming.get(id)!.map((from) => rank.get(from)! + 1));
      if (r > rank.get(id)!) {
        rank.set(id, r);
        changed = true;
      }
    }
  }
  const rows: string[][] = [];
  const byRank = new Map<number, string[]>();
  for (const id of ids) byRank.set(rank.get(id)!, [...(byRank.get(rank.get(id)!) ?? []), id]);
  for (const r of [...byRank.keys()].sort((a, b) => a - b)) {
    const members = byRank.get(r)!;
    for (let i = 0; i < members.length; i += 4) rows.push(members.slice(i, i + 4));
  }
  const positions = new Map<string, { x: number; y: number }>();
  let y = 0;
  let width = NODE_WIDTH;
  for (const row of rows) {
    const rowHeight = Math.max(...row.map((id) => heights.get(id)!));
    row.forEach((id, i) => positions.set(id, { x: i * (NODE_WIDTH + 16), y }));
    width = Math.max(width, row.length * (NODE_WIDTH + 16) - 16);
    y += rowHeight + 28;
  }
  const points = new Map<string, { x: number; y: number }[]>();
  for (const [from, to] of edges) {
    const a = positions.get(from)!;
    const b = positions.get(to)!;
    points.set(`${from}\0${to}`, [
      { x: a.x + NODE_WIDTH / 2, y: a.y + heights.get(from)! },
      { x: b.x + NODE_WIDTH / 2, y: b.y },
    ]);
  }
  return { width, height: Math.max(0, y - 28), positions, edges: points };
}

const round = (n: number): number => Math.round(n * 10) / 10;

function smoothPath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length === 1) {
    const last = rest[0]!;
    const mid = (first!.y + last.y) / 2;
    return `M${round(first!.x)},${round(first!.y)} C${round(first!.x)},${round(mid)} ${round(last.x)},${round(mid)} ${round(last.x)},${round(last.y)}`;
  }
  return `M${round(first!.x)},${round(first!.y)} ${rest.map((p) => `L${round(p.x)},${round(p.y)}`).join(' ')}`;
}

const cache = new WeakMap<LearningPath, GraphLayout>();

/**
 * Lays out the dependency graph of a path for drawing: each phase is a frame with its resources
 * laid out top to bottom (dagre), phases stacked in order, other paths above them. Arrows inside
 * a phase follow the layout; arrows between phases, from phases and from other paths run along
 * a gutter on the left. Paths are immutable, so each layout is computed once.
 */
export function layoutPathGraph(path: LearningPath): GraphLayout {
  const cached = cache.get(path);
  if (cached) return cached;
  const graph = buildPathGraph(path);
  const phaseOf = new Map(graph.nodes.map((n) => [n.id, n.phaseId] as const));
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n] as const));

  const lanes = Math.min(MAX_LANES, graph.edges.filter((e) => !isLocal(e, phaseOf)).length);
  const gutter = 12 + lanes * LANE_GAP;

  // Other paths named as dependencies, in a row above the phases.
  const pathSlugs = [...new Set(graph.edges.flatMap((e) => ('path' in e.from ? [e.from.path] : [])))];
  const paths: PlacedPath[] = pathSlugs.map((slug, i) => ({ slug, label: `Path: ${slug}`, x: gutter + i * (NODE_WIDTH + 16), y: 8, width: NODE_WIDTH, height: 34 }));
  let y = paths.length > 0 ? 8 + 34 + PHASE_GAP : 8;

  const nodes: PlacedNode[] = [];
  const phases: PlacedPhase[] = [];
  const boxes = new Map<string, Box>();
  for (const p of paths) boxes.set(`path:${p.slug}`, p);
  const localEdges: PlacedEdge[] = [];
  let width = gutter + NODE_WIDTH + 2 * PHASE_PADDING;
  const placedIds = new Set<string>();

  for (const phase of graph.phases) {
    const ids = phase.resourceIds.filter((id) => !placedIds.has(id));
    for (const id of ids) placedIds.add(id);
    const heights = new Map<string, number>();
    const lines = new Map<string, string[]>();
    for (const id of ids) {
      const node = nodeById.get(id)!;
      const wrapped = wrapTitle(node.title);
      lines.set(id, wrapped);
      heights.set(id, wrapped.length * LINE_HEIGHT + 26);
    }
    const inPhase = new Set(ids);
    const edges = graph.edges
      .filter((e) => 'resource' in e.from && 'resource' in e.to && inPhase.has(e.from.resource) && inPhase.has(e.to.resource))
      .map((e) => [(e.from as { resource: string }).resource, (e.to as { resource: string }).resource] as [string, string]);
    const unique = [...new Map(edges.map((e) => [`${e[0]}\0${e[1]}`, e])).values()];
    const local = ids.length === 0 ? { width: NODE_WIDTH, height: 0, positions: new Map(), edges: new Map() } : ids.length <= DAGRE_MAX_NODES ? layoutWithDagre(ids, heights, unique) : layoutInLayers(ids, heights, unique);
    const ox = gutter + PHASE_PADDING;
    const oy = y + PHASE_HEADER;
    const box: PlacedPhase = {
      id: phase.id,
      label: `Phase ${phase.number}: ${phase.title}`,
      x: gutter,
      y,
      width: Math.max(local.width, NODE_WIDTH) + 2 * PHASE_PADDING,
      height: PHASE_HEADER + local.height + PHASE_PADDING + (ids.length === 0 ? 10 : 0),
    };
    phases.push(box);
    boxes.set(`phase:${phase.id}`, box);
    for (const id of ids) {
      const pos = local.positions.get(id)!;
      const node = nodeById.get(id)!;
      const placed: PlacedNode = {
        id,
        phaseId: phase.id,
        lines: lines.get(id)!,
        title: node.title,
        kind: node.kind,
        durationMinutes: node.durationMinutes,
        x: ox + pos.x,
        y: oy + pos.y,
        width: NODE_WIDTH,
        height: heights.get(id)!,
      };
      nodes.push(placed);
      boxes.set(`resource:${id}`, placed);
    }
    for (const [from, to] of unique) {
      const pts = (local.edges.get(`${from}\0${to}`) ?? []).map((p: { x: number; y: number }) => ({ x: ox + p.x, y: oy + p.y }));
      localEdges.push({ from: `resource:${from}`, to: `resource:${to}`, type: 'sequence', d: smoothPath(pts) });
    }
    width = Math.max(width, box.x + box.width);
    y += box.height + PHASE_GAP;
  }

  // Every served edge is drawn once; edges inside a phase take the laid-out route.
  const drawn: PlacedEdge[] = [];
  const local = new Map(localEdges.map((e) => [`${e.from}\0${e.to}`, e.d]));
  let lane = 0;
  const phaseIndex = new Map(graph.phases.map((p, i) => [p.id, i] as const));
  for (const edge of graph.edges) {
    const from = refKey(edge.from);
    const to = refKey(edge.to);
    const a = boxes.get(from);
    const b = boxes.get(to);
    if (!a || !b) continue;
    const inside = local.get(`${from}\0${to}`);
    if (inside !== undefined && isLocal(edge, phaseOf)) {
      drawn.push({ from, to, type: edge.type, d: inside });
      continue;
    }
    // A phase that waits on the phase just before it: a short arrow between the frames.
    if ('phase' in edge.from && 'phase' in edge.to && phaseIndex.get(edge.to.phase) === (phaseIndex.get(edge.from.phase) ?? -2) + 1) {
      const x = a.x + a.width / 2;
      drawn.push({ from, to, type: edge.type, d: `M${round(x)},${round(a.y + a.height)} L${round(x)},${round(b.y)}` });
      continue;
    }
    const laneX = gutter - 10 - (lane % MAX_LANES) * LANE_GAP;
    lane++;
    const y1 = a.y + Math.min(a.height / 2, 16);
    const y2 = b.y + Math.min(b.height / 2, 16);
    drawn.push({
      from,
      to,
      type: edge.type,
      d: `M${round(a.x)},${round(y1)} L${round(laneX)},${round(y1)} L${round(laneX)},${round(y2)} L${round(b.x)},${round(y2)}`,
    });
  }
  const layout: GraphLayout = { width: Math.ceil(width + 8), height: Math.ceil(Math.max(y - PHASE_GAP + 8, 40)), nodes, phases, paths, edges: drawn };
  cache.set(path, layout);
  return layout;
}

function isLocal(edge: GraphEdge, phaseOf: Map<string, string>): boolean {
  return 'resource' in edge.from && 'resource' in edge.to && phaseOf.get(edge.from.resource) === phaseOf.get(edge.to.resource);
}
