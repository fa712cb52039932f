/** A page for a request that cannot be answered (404, 400, 406). */
export function ErrorPage({ status, title, detail }: { status: number; title: string; detail: string }) {
  return (
    <div className="error-page">
      <h1>{title}</h1>
      <p>{detail}</p>
      <p className="status-code">{`Error ${status}`}</p>
      <p>
        <a href="/learn">See every learning path</a>
      </p>
    </div>
  );
}
