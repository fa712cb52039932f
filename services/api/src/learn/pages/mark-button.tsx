/** The "Mark as done" toggle of a resource; the page script reveals and drives it. */
export function MarkButton({ resourceId, title, done }: { resourceId: string; title: string; done: boolean }) {
  return (
    <button type="button" className="mark-button" data-mark={resourceId} aria-pressed={done} hidden>
      <span className="mark-icon" aria-hidden="true" />
      Mark as done
      <span className="visually-hidden">{`: ${title}`}</span>
    </button>
  );
}
