import type { LearningPath } from '@learnpath/schema';
import { describeLearnerView } from '../learner-view.js';
import { all, applyView } from './apply-view.js';
import { createLocalProgressSource, type ProgressSnapshot, type ProgressSource } from './progress-source.js';
import { createSessionProgressSource } from './session-source.js';

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
  const csrfToken = document.querySelector<HTMLMetaElement>('meta[name="learnpath-csrf"]')?.content;
  const stored = root.dataset.storedCompleted;
  // A page drawn in a learner session keeps marks with the service; otherwise in this browser.
  const session = source === undefined && csrfToken && stored !== undefined ? createSessionProgressSource(path.slug, csrfToken, JSON.parse(stored) as string[]) : null;
  const marks = source ?? session ?? createLocalProgressSource(path.slug);
  let snapshot: ProgressSnapshot = await marks.load();
  const redraw = (): void => {
    const view = describeLearnerView(path, snapshot.completed);
    applyView(root, path, view, new Set(snapshot.checked));
  };
  redraw();
  const notes = all<HTMLElement>(document, '[data-storage-note]');
  const say = (text: string): void => {
    for (const note of notes) note.textContent = text;
  };
  say(marks.description);
  const fail = (error: unknown): void => say(error instanceof Error ? error.message : 'Your mark could not be saved.');

  const panel = document.querySelector<HTMLElement>('[data-import-panel]');
  if (session && panel) {
    const ids = new Set(path.phases.flatMap((p) => p.resources.map((r) => r.id)));
    const pending = session.pendingImport(ids);
    if (pending.length > 0) {
      const text = panel.querySelector<HTMLElement>('[data-import-text]');
      if (text) text.textContent = `You marked ${pending.length === 1 ? '1 resource' : `${pending.length} resources`} done in this browser before you signed in. Import ${pending.length === 1 ? 'it' : 'them'} into your saved progress?`;
      panel.hidden = false;
      const button = panel.querySelector<HTMLButtonElement>('[data-import-button]');
      button?.addEventListener('click', () => {
        button.disabled = true;
        session.importAnonymous(ids).then(
          (next) => {
            snapshot = next;
            redraw();
            panel.hidden = true;
            say(`Imported ${next.imported === 1 ? '1 mark' : `${next.imported} marks`}. ${marks.description}`);
          },
          (error: unknown) => {
            button.disabled = false;
            fail(error);
          },
        );
      });
    }
  }

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
      page.mark(id, !page.isDone(id)).catch(fail);
    });
  }
  for (const box of all<HTMLInputElement>(root, 'input[data-check]')) {
    box.addEventListener('change', () => {
      marks.setChecked(Number(box.dataset.check), box.checked).then((next) => {
        snapshot = next;
        redraw();
      }, fail);
    });
  }
  document.documentElement.dataset.learnReady = 'true';
  return page;
}
