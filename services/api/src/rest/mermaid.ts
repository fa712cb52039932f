import type { PathGraph, Reference } from '@learnpath/schema';

// Node ids are built from slugs (lowercase letters, digits, hyphens) with a prefix per kind, so
// they never collide with each other or with Mermaid keywords such as `end` or `graph`.
const resourceNode = (id: string): string => `r_${id.replace(/-/g, '_')}`;
const phaseNode = (id: string): string => `p_${id.replace(/-/g, '_')}`;
const pathNode = (slug: string): string => `x_${slug.replace(/-/g, '_')}`;

/**
 * A label as a Mermaid string: quoted, with every character that Mermaid or its HTML
 * rendering treats specially written as an entity code (`#quot;`), so titles cannot break
 * out of the label or inject markup.
 */
export function mermaidLabel(text: string): string {
  const escaped = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[#"&<>`]/g, (c) => `#${c.charCodeAt(0)};`);
  return `"${escaped}"`;
}

function refNode(ref: Reference): string {
  if ('resource' in ref) return resourceNode(ref.resource);
  if ('phase' in ref) return phaseNode(ref.phase);
  return pathNode(ref.path);
}

function minutes(value: number | null): string {
  return value === null ? '' : ` (${value} min)`;
}

/**
 * The dependency graph as a Mermaid flowchart: one subgraph per phase holding its resources,
 * sequence edges as solid arrows, authored dependencies as dotted arrows labelled "requires",
 * and other paths as separate nodes.
 */
export function renderMermaid(graph: PathGraph): string {
  const lines = ['flowchart TD'];
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const phase of graph.phases) {
    lines.push(`  subgraph ${phaseNode(phase.id)}[${mermaidLabel(`Phase ${phase.number}: ${phase.title}`)}]`);
    lines.push('    direction TB');
    for (const id of phase.resourceIds) {
      const node = nodes.get(id);
      const label = node ? `${node.title}${minutes(node.durationMinutes)}` : id;
      lines.push(`    ${resourceNode(id)}[${mermaidLabel(label)}]`);
    }
    lines.push('  end');
  }
  const otherPaths = new Set<string>();
  for (const edge of graph.edges) if ('path' in edge.from) otherPaths.add(edge.from.path);
  for (const slug of [...otherPaths].sort()) lines.push(`  ${pathNode(slug)}[[${mermaidLabel(`Path: ${slug}`)}]]`);
  for (const edge of graph.edges) {
    const arrow = edge.type === 'sequence' ? '-->' : '-.->|requires|';
    lines.push(`  ${refNode(edge.from)} ${arrow} ${refNode(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}
