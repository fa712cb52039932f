import type { ReactNode } from 'react';

/** The learner's session as a page shows it: a sign-out form and the token its script sends. */
export interface LayoutSession {
  /** The CSRF token of the session; every state-changing request carries it. */
  csrfToken: string;
}

/** What every learner page shares: head, skip link, header, assets. */
export interface LayoutProps {
  title: string;
  /** The per-response nonce every script carries (the CSP allows nothing else). */
  nonce: string;
  /** URL of the stylesheet. */
  stylesheet: string;
  /** URLs of the scripts, loaded deferred. */
  scripts: string[];
  /** Breadcrumb trail above the title: label and URL. */
  trail?: { label: string; href: string }[];
  /** The learner's session, when there is one. */
  session?: LayoutSession;
  children: ReactNode;
}

/** The HTML document around a learner page. */
export function Layout({ title, nonce, stylesheet, scripts, trail, session, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · Learnpath`}</title>
        {session ? <meta name="learnpath-csrf" content={session.csrfToken} /> : null}
        <link rel="stylesheet" href={stylesheet} />
        {scripts.map((src) => (
          <script key={src} src={src} nonce={nonce} defer />
        ))}
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <a href="/learn" className="brand">
            Learnpath
          </a>
          {session ? (
            <form className="session-form" method="post" action="/learn/logout">
              <span className="session-note">Signed in: your marks are saved</span>
              <input type="hidden" name="csrf" value={session.csrfToken} />
              <button type="submit" className="button">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        {trail && trail.length > 0 ? (
          <nav aria-label="Breadcrumb" className="breadcrumb">
            <ol>
              {trail.map((step) => (
                <li key={step.href}>
                  <a href={step.href}>{step.label}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Learnpath · <a href="/v1/paths">API</a> · <a href="/docs">API docs</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
