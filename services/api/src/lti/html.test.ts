import { describe, expect, it } from 'vitest';
import { renderAutoPostForm } from './auto-post.js';
import { html } from './html.js';
import { retryDelay } from './outbox-delivery.js';

describe('HTML templates', () => {
  it('escape every interpolated value, in text and attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(html`<p title="${hostile}">${hostile}</p>`.text).toBe('<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>');
    expect(html`<ul>${['a<', html`<li>b</li>`]}</ul>`.text).toBe('<ul>a&lt;<li>b</li></ul>');
  });

  it('build an auto-submitted form that posts only to its action origin', () => {
    const form = renderAutoPostForm('https://lms.example/return?x=1&y=2', { JWT: 'a.b"c' });
    expect(form.html).toContain('<form method="post" action="https://lms.example/return?x=1&amp;y=2">');
    expect(form.html).toContain('<input type="hidden" name="JWT" value="a.b&quot;c">');
    expect(form.csp).toContain('form-action https://lms.example;');
    expect(form.csp).not.toContain('unsafe-inline');
  });
});

describe('outbox retries', () => {
  it('double the delay from the base up to the maximum', () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelay(n, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
});
