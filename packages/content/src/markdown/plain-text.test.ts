import { describe, expect, it } from 'vitest';
import { markdownToPlainText } from './plain-text.js';

describe('markdownToPlainText', () => {
  it('keeps characters that only look like syntax', () => {
    expect(markdownToPlainText('Rename snake_case_names and compute 2*3*4 = 24, a_b * c.')).toBe('Rename snake_case_names and compute 2*3*4 = 24, a_b * c.');
  });

  it('drops formatting, keeps link, image and code text, and separates blocks', () => {
    const text = markdownToPlainText('# Joins *in* depth\n\nUse `GROUP_BY`, **bold** and [a link](https://x.example) ![a chart](c.png) <kbd>Ctrl</kbd>.\n\n- one\n- two');
    expect(text).toBe('Joins in depth\n\nUse GROUP_BY, bold and a link a chart Ctrl.\n\none\n\ntwo');
  });

  it('reads escapes and entities as the characters they stand for', () => {
    expect(markdownToPlainText('\\*not emphasis\\* &amp; more')).toBe('*not emphasis* & more');
  });
});
