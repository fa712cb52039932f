import type { LearningPath } from '@learnpath/schema';
import { layoutPathGraph } from './graph-layout.js';
import { formatMinutes, type LearnerView } from './learner-view.js';
import { kindLabel } from './text.js';

/** The dependency graph of a path as an SVG picture, nodes coloured by the learner's state. */
export function PathGraphSvg({ path, view }: { path: LearningPath; view: LearnerView }) {
  const layout = layoutPathGraph(path);
  const next = view.report.next?.id;
  const description = `${layout.nodes.length} resources in ${layout.phases.length} phases; ${layout.edges.length} dependencies drawn as arrows from what comes first to what depends on it.`;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      className="path-graph"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      role="img"
      aria-labelledby="graph-title graph-desc"
    >
      <title id="graph-title">{`Dependency graph of ${path.title}`}</title>
      <desc id="graph-desc">{description}</desc>
      <defs>
        <marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="graph-arrowhead" />
        </marker>
      </defs>
      <g className="graph-phases">
        {layout.phases.map((phase) => (
          <g key={phase.id} className="graph-phase" data-phase={phase.id}>
            <rect x={phase.x} y={phase.y} width={phase.width} height={phase.height} rx="10" />
            <text x={phase.x + 12} y={phase.y + 20} className="graph-phase-label">
              {phase.label}
            </text>
          </g>
        ))}
      </g>
      <g className="graph-paths">
        {layout.paths.map((p) => (
          <g key={p.slug} className="graph-path" data-path={p.slug}>
            <rect x={p.x} y={p.y} width={p.width} height={p.height} rx="17" />
            <text x={p.x + 12} y={p.y + 22}>
              {p.label}
            </text>
          </g>
        ))}
      </g>
      <g className="graph-edges">
        {layout.edges.map((edge, i) => (
          <path key={i} className={`graph-edge edge-${edge.type}`} data-from={edge.from} data-to={edge.to} d={edge.d} markerEnd="url(#graph-arrow)" />
        ))}
      </g>
      <g className="graph-nodes">
        {layout.nodes.map((node) => {
          const state = view.resources.get(node.id)?.state ?? 'locked';
          return (
            <g key={node.id} className={`graph-node state-${state}${node.id === next ? ' is-next' : ''}`} data-resource={node.id}>
              <rect x={node.x} y={node.y} width={node.width} height={node.height} rx="6" />
              <text x={node.x + 10} y={node.y + 18} className="graph-node-title">
                {node.lines.map((line, i) => (
                  <tspan key={i} x={node.x + 10} dy={i === 0 ? 0 : 17}>
                    {line}
                  </tspan>
                ))}
              </text>
              <text x={node.x + 10} y={node.y + node.height - 9} className="graph-node-meta">
                {[kindLabel(node.kind), node.durationMinutes === null ? null : formatMinutes(node.durationMinutes)].filter((t) => t !== null).join(' · ')}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}
