import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { loadCatalog } from '@learnpath/content';
import { buildPathGraph, type LearningPath } from '@learnpath/schema';
import { PathGraphSvg } from './graph-svg.js';
import { describeLearnerView } from './learner-view.js';
import { hostilePath, hugePath } from '../../test/support/learn-catalogs.js';

interface ParsedGraph {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number; width: number; height: number; text: string }>;
  edges: { from: string; to: string; d: string }[];
}

type XmlNode = { nodeName: string; getAttribute(name: string): string | null; childNodes: ArrayLike<XmlNode>; textContent: string | null };

function walk(node: XmlNode, visit: (n: XmlNode) => void): void {
  visit(node);
  for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!, visit);
}

/** Parses the SVG as XML (it must be well-formed) and reads its nodes and edges back. */
function parseGraph(path: LearningPath, completed: string[] = []): ParsedGraph {
  const svg = renderToStaticMarkup(createElement(PathGraphSvg, { path, view: describeLearnerView(path, completed) }));
  const doc = create(svg).node as unknown as XmlNode;
  let root: XmlNode | null = null;
  const nodes: ParsedGraph['nodes'] = new Map();
  const edges: ParsedGraph['edges'] = [];
  walk(doc, (n) => {
    if (n.nodeName === 'svg') root = n;
    const cls = n.getAttribute?.('class') ?? '';
    if (n.nodeName === 'g' && cls.split(' ').includes('graph-node')) {
      let rect: XmlNode | undefined;
      for (let i = 0; i < n.childNodes.length; i++) if (n.childNodes[i]!.nodeName === 'rect') rect = n.childNodes[i];
      nodes.set(n.getAttribute('data-resource')!, {
        x: Number(rect!.getAttribute('x')),
        y: Number(rect!.getAttribute('y')),
        width: Number(rect!.getAttribute('width')),
        height: Number(rect!.getAttribute('height')),
        text: n.textContent ?? '',
      });
    }
    if (n.nodeName === 'path' && cls.split(' ').includes('graph-edge')) edges.push({ from: n.getAttribute('data-from')!, to: n.getAttribute('data-to')!, d: n.getAttribute('d')! });
  });
  const viewBox = (root as XmlNode | null)?.getAttribute('viewBox')?.split(' ').map(Number) ?? [];
  return { width: viewBox[2]!, height: viewBox[3]!, nodes, edges };
}

const key = (ref: object): string => Object.entries(ref).map(([k, v]) => `${k}:${String(v)}`).join();

function expectComplete(path: LearningPath): ParsedGraph {
  const graph = parseGraph(path);
  const served = buildPathGraph(path);
  expect([...graph.nodes.keys()].sort()).toEqual(served.nodes.map((n) => n.id).sort());
  for (const edge of served.edges) {
    const drawn = graph.edges.find((e) => e.from === key(edge.from) && e.to === key(edge.to));
    expect(drawn, `${key(edge.from)} → ${key(edge.to)}`).toBeDefined();
    expect(drawn!.d).toMatch(/^M[\d.]+,[\d.]+ [LC]/);
  }
  for (const [id, box] of graph.nodes) {
    expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= graph.width && box.y + box.height <= graph.height, id).toBe(true);
  }
  return graph;
}

describe('the dependency graph picture', async () => {
  const { catalog, diagnostics } = await loadCatalog(fileURLToPath(new URL('../../../../content', import.meta.url)));
  const shipped = catalog ? [...catalog.paths.values()] : [];

  it('loads the shipped content', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(shipped.length).toBeGreaterThanOrEqual(5);
  });

  it.each(shipped.map((p) => [p.slug, p] as const))('of %s shows every resource and every dependency edge, without overlaps', (_slug, path) => {
    const graph = expectComplete(path);
    const boxes = [...graph.nodes.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true);
      }
    }
    for (const phase of path.phases) for (const r of phase.resources) expect(graph.nodes.get(r.id)!.text).toContain(r.title.split(/\s+/)[0]!);
  });

  it('shows hostile titles as text and stays well-formed XML', () => {
    const graph = expectComplete(hostilePath());
    expect(graph.nodes.get('img-src-x-onerror-alert-1')!.text).toContain('<img src=x');
  });

  it('draws a path of 1,000 resources', () => {
    const graph = expectComplete(hugePath());
    expect(graph.nodes.size).toBe(1000);
  });

  it('colours nodes by state and marks the next resource', () => {
    const path = shipped.find((p) => p.slug === 'batch-vs-stream-processing')!;
    const svg = renderToStaticMarkup(createElement(PathGraphSvg, { path, view: describeLearnerView(path, ['batch-processing']) }));
    expect(svg).toContain('class="graph-node state-completed" data-resource="batch-processing"');
    expect(svg).toContain('class="graph-node state-available is-next" data-resource="stream-processing"');
    expect(svg).toContain('class="graph-node state-locked" data-resource="processing-comparison"');
  });
});
