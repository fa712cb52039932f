import { Cmi5Session, readLaunchParameters } from './cmi5-session.js';
import { startLearnerPage } from './page.js';

type Status = 'starting' | 'ready' | 'completed' | 'browse' | 'ended' | 'error';

function setStatus(status: Status, text: string): void {
  const el = document.querySelector<HTMLElement>('[data-cmi5-status]');
  if (!el) return;
  el.dataset.cmi5Status = status;
  el.textContent = text;
}

/** Runs a resource page as a cmi5 assignable unit: launch sequence, completion, exit. */
async function startAssignableUnit(): Promise<void> {
  const params = readLaunchParameters(window.location.search);
  const resourceId = document.querySelector<HTMLElement>('[data-resource-page]')?.dataset.resourcePage ?? '';
  if (!params) {
    setStatus('error', 'The course link is incomplete: start this resource again from your course.');
    await startLearnerPage();
    return;
  }
  let session: Cmi5Session;
  try {
    session = await Cmi5Session.start(params);
  } catch (error) {
    setStatus('error', `Your course could not be reached, so completion cannot be recorded (${error instanceof Error ? error.message : 'unknown error'}).`);
    await startLearnerPage();
    return;
  }
  const article = document.querySelector<HTMLElement>('[data-resource-page]');
  const reportUrl = document.querySelector<HTMLElement>('[data-cmi5-report]')?.dataset.cmi5Report;
  // Saved as progress on the service too, when it is set up for this LRS; the LMS has it either way.
  const report = (): void => {
    if (!reportUrl || !article?.dataset.slug) return;
    void session.reportCompletion(reportUrl, { slug: article.dataset.slug, resourceId }).catch(() => false);
  };
  const page = await startLearnerPage({
    async beforeMark(id, done) {
      if (id !== resourceId) return true;
      if (!done) {
        // A completion the LMS has recorded cannot be taken back.
        return !session.completed;
      }
      if (session.launchMode !== 'Normal' || session.terminated) return false;
      try {
        await session.complete();
        report();
        setStatus('completed', 'Done: your course has recorded that you completed this resource.');
        lockButton();
        return true;
      } catch (error) {
        setStatus('error', `Your course did not record the completion (${error instanceof Error ? error.message : 'unknown error'}). Try again.`);
        return false;
      }
    },
  });
  const button = document.querySelector<HTMLButtonElement>(`button[data-mark="${CSS.escape(resourceId)}"]`);
  const lockButton = (): void => {
    if (button) button.disabled = true;
  };
  if (session.terminated) {
    setStatus('ended', 'This visit has ended. Start the resource again from your course.');
    lockButton();
  } else if (session.completed) {
    if (page && !page.isDone(resourceId)) await page.mark(resourceId, true);
    // An earlier report may have been lost (the page closed, the service away); reporting is idempotent.
    report();
    setStatus('completed', 'Done: your course has recorded that you completed this resource.');
    lockButton();
  } else if (session.launchMode !== 'Normal') {
    setStatus('browse', `You are in ${session.launchMode.toLowerCase()} mode: your course does not record completion on this visit.`);
    lockButton();
  } else {
    setStatus('ready', 'Connected to your course. Mark this resource as done when you have finished it.');
  }
  const exit = document.querySelector<HTMLButtonElement>('[data-cmi5-exit]');
  if (exit && !session.terminated) {
    exit.hidden = false;
    exit.addEventListener('click', () => {
      exit.disabled = true;
      void session.terminate().then(
        () => {
          if (session.returnUrl) window.location.assign(session.returnUrl);
          else setStatus('ended', 'You can close this window now.');
        },
        () => setStatus('error', 'Your course could not be told that you left; you can close this window.'),
      );
    });
  }
  window.addEventListener('pagehide', () => {
    void session.terminate().catch(() => undefined);
  });
}

void startAssignableUnit();
