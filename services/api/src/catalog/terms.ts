import MiniSearch from 'minisearch';

// How text becomes the words of the search index, for documents and queries alike.

/** Folds a word for matching: accents dropped, lower case ("Données" and "donnees" match). */
export function foldTerm(term: string): string {
  // Most words are plain ASCII, with no accent to drop: indexing a large catalog folds millions.
  if (ASCII.test(term)) return term.toLowerCase();
  return term.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;

/** A query as the index sees it: folded, blanks collapsed; two queries alike this way find the same. */
export function normalizeQuery(q: string): string {
  return foldTerm(q).trim().replace(/\s+/g, ' ');
}

/** Splits text into words at blanks and punctuation (MiniSearch's tokenizer); some may be empty. */
export const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** The folded words of a query, in order, blanks and punctuation dropped. */
export function queryWords(q: string): string[] {
  return tokenize(normalizeQuery(q))
    .map((word) => foldTerm(word))
    .filter((word) => word !== '');
}

/** How many typos a word may have: one in a word of 4 letters, two from 5 ("kafak" is two edits from "kafka"); numbers none. */
export function fuzzinessOf(term: string): number {
  // A typo in "2024" is another number.
  if (!/\p{L}/u.test(term)) return 0;
  return term.length >= 5 ? 2 : term.length === 4 ? 1 : 0;
}
