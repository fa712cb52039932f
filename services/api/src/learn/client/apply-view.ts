import type { LearningPath } from '@learnpath/schema';
import { formatMinutes, STATE_LABELS, type LearnerView } from '../learner-view.js';
import { learnUrl } from '../urls.js';

const STATES = ['state-completed', 'state-available', 'state-locked'];

/** The elements matching a selector, as an array. */
export function all<T extends Element>(root: ParentNode, selector: string): T[] {
  return Array.from(root.querySelectorAll<T>(selector));
}

function setText(root: ParentNode, selector: string, text: string): void {
  for (const el of all(root, selector)) el.textContent = text;
}

/** Updates every state, the progress numbers, the next step, the graph and the checklist from a view. */
export function applyView(root: HTMLElement, path: LearningPath, view: LearnerView, checked: ReadonlySet<number>): void {
  const { report } = view;
  const nextId = report.next?.id ?? null;
  for (const item of all<HTMLElement>(root, '[data-resource-id]')) {
    const rv = view.resources.get(item.dataset.resourceId ?? '');
    if (!rv) continue;
    item.classList.remove(...STATES);
    item.classList.add(`state-${rv.state}`);
    item.classList.toggle('is-next', rv.id === nextId);
    setText(item, '[data-state-label]', STATE_LABELS[rv.state]);
    setText(item, '[data-state-reason]', rv.reason ? ` — ${rv.reason}` : '');
    for (const flag of all<HTMLElement>(item, '[data-next-flag]')) flag.hidden = rv.id !== nextId;
    for (const button of all<HTMLButtonElement>(item, '[data-mark]')) button.setAttribute('aria-pressed', String(rv.state === 'completed'));
  }
  for (const node of all<SVGGElement>(root, '.graph-node[data-resource]')) {
    const rv = view.resources.get(node.dataset.resource ?? '');
    if (!rv) continue;
    node.classList.remove(...STATES);
    node.classList.add(`state-${rv.state}`);
    node.classList.toggle('is-next', rv.id === nextId);
  }
  const bar = root.querySelector<HTMLProgressElement>('#progress-bar');
  if (bar) {
    bar.value = report.percent;
    bar.textContent = `${report.percent}%`;
  }
  setText(root, '[data-progress-percent]', `${report.percent}%`);
  setText(root, '[data-progress-count]', `${report.completedCount} of ${report.totalCount}`);
  setText(root, '[data-progress-left]', formatMinutes(report.remainingMinutes));
  for (const phase of report.phases) {
    const section = root.querySelector<HTMLElement>(`[data-phase-id="${CSS.escape(phase.id)}"]`);
    if (section) setText(section, '[data-phase-percent]', `${phase.percent}% done`);
  }
  const nextBox = root.querySelector<HTMLElement>('[data-next]');
  if (nextBox) {
    const p = document.createElement('p');
    if (report.next) {
      const next = report.next;
      const label = document.createElement('span');
      label.className = 'next-label';
      label.textContent = 'Next up: ';
      const link = document.createElement('a');
      link.href = learnUrl(path.slug, next.id);
      link.textContent = next.title;
      link.dataset.nextLink = '';
      const phase = path.phases.find((ph) => ph.id === next.phaseId);
      p.append(label, link, phase ? ` in Phase ${phase.number}: ${phase.title}` : '');
    } else {
      p.textContent = report.totalCount > 0 && report.completedCount === report.totalCount ? 'You have completed every resource of this path.' : 'Nothing is available yet.';
    }
    nextBox.replaceChildren(p);
  }
  for (const box of all<HTMLInputElement>(root, 'input[data-check]')) {
    const index = Number(box.dataset.check);
    box.checked = checked.has(index) || report.checklist[index]?.checked === true;
  }
}
