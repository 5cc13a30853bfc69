import { escapeHtml, html, queryString, trusted } from './html.js';

describe('console HTML templates', () => {
  it('escapes every interpolated text, so ledger text never becomes markup', () => {
    const title = '<script>alert("x")</script> & \'y\'';
    expect(html`<h1 title="${title}">${title}</h1>`.text).toBe(
      '<h1 title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</h1>',
    );
  });

  it('keeps markup made by html`` and trusted(), joins arrays and leaves out null, undefined and false', () => {
    const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}${0}</ul>`.text).toBe('<ul><li>a&lt;b</li><li>c</li>0</ul>');
    expect(html`${trusted('<br>')}`.text).toBe('<br>');
  });

  it('writes query strings without empty parameters, encoded', () => {
    expect(queryString({ asOf: '2026-03-10T12:00:00+09:00', article: '', knownAt: false, lang: 'en', status: null })).toBe('?asOf=2026-03-10T12%3A00%3A00%2B09%3A00&lang=en');
    expect(queryString({})).toBe('');
    expect(escapeHtml('"&')).toBe('&quot;&amp;');
  });
});
