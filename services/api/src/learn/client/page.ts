import type { LearningPath } from '@learnpath/schema';
import { describeLearnerView } from '../learner-view.js';
import { all, applyView } from './apply-view.js';
import { createLocalProgressSource, type ProgressSnapshot, type ProgressSource } from './progress-source.js';

/** Hooks a runtime (cmi5) adds to the page. */
export interface PageHooks {
  /** Called before a mark is kept; return false to refuse it. */
  beforeMark?(resourceId: string, done: boolean): Promise<boolean>;
}

/** The running page: its path, the source of marks, and a way to mark from a runtime. */
export interface LearnerPage {
  path: LearningPath;
  source: ProgressSource;
  /** Marks a resource done (or not) and redraws. */
  mark(resourceId: string, done: boolean): Promise<void>;
  /** Whether a resource is marked done. */
  isDone(resourceId: string): boolean;
}

/** Reads the path from the page, loads the marks, redraws, and wires the buttons and checklist. */
export async function startLearnerPage(hooks: PageHooks = {}, source?: ProgressSource): Promise<LearnerPage | null> {
  const root = document.querySelector<HTMLElement>('[data-learn-path]');
  if (!root) return null;
  const path = JSON.parse(root.dataset.learnPath ?? 'null') as LearningPath;
  const marks = source ?? createLocalProgressSource(path.slug);
  let snapshot: ProgressSnapshot = await marks.load();
  const redraw = (): void => {
    const view = describeLearnerView(path, snapshot.completed);
    applyView(root, path, view, new Set(snapshot.checked));
  };
  redraw();
  for (const note of all<HTMLElement>(document, '[data-storage-note]')) note.textContent = marks.description;

  const page: LearnerPage = {
    path,
    source: marks,
    async mark(resourceId, done) {
      if (hooks.beforeMark && !(await hooks.beforeMark(resourceId, done))) return;
      snapshot = await marks.setCompleted(resourceId, done);
      redraw();
    },
    isDone: (resourceId) => snapshot.completed.includes(resourceId),
  };

  for (const button of all<HTMLButtonElement>(document, 'button[data-mark]')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const id = button.dataset.mark ?? '';
      void page.mark(id, !page.isDone(id));
    });
  }
  for (const box of all<HTMLInputElement>(root, 'input[data-check]')) {
    box.addEventListener('change', () => {
      void marks.setChecked(Number(box.dataset.check), box.checked).then((next) => {
        snapshot = next;
        redraw();
      });
    });
  }
  document.documentElement.dataset.learnReady = 'true';
  return page;
}
