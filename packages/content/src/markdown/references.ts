import { SlugSchema, slugify, type DiagnosticCode, type Reference } from '@learnpath/schema';
import type { Piece } from './inline.js';

// "Next step" and "Dependencies" phrases: "Move to resource 2", "Complete Phase 1 and Phase 2",
// "Complete Phase 1, Phase 2 and resource 3", "Complete resource `batch-processing`",
// "Complete path `other-path`", "Complete [Other path](other-path.md)", or a title.
// A phrase is first cut into tokens; it is resolved once every phase of the document is known,
// because a phrase may name a later phase or a resource by its title.

/** A token of a reference phrase. */
export type RefToken =
  | { t: 'word'; v: string }
  | { t: 'sep'; v: string }
  | { t: 'code'; v: string }
  | { t: 'link'; dest: string; v: string }
  | { t: 'title'; v: string }
  | { t: 'other'; v: string };

const TOKEN = /[,;&]|[^\s,;&]+/g;
// Quotes, brackets and punctuation around a word.
const QUOTES = /^["'“‘(]|["'”’).:!?]$/;
const QUOTES_GLOBAL = /^["'“‘(]+|["'”’).:!?]+$/g;

/** Cuts the inline pieces of a phrase into tokens. */
export function tokenizeReference(pieces: readonly Piece[]): RefToken[] {
  const tokens: RefToken[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      const { text } = piece;
      TOKEN.lastIndex = 0;
      for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
        const token = match[0];
        if (token === ',' || token === ';' || token === '&') tokens.push({ t: 'sep', v: token });
        else {
          const word = QUOTES.test(token) ? token.replace(QUOTES_GLOBAL, '') : token;
          if (word !== '') tokens.push({ t: 'word', v: word });
        }
      }
      continue;
    }
    const { node } = piece;
    if (node.type === 'code') tokens.push({ t: 'code', v: (node.literal ?? '').trim() });
    else if (node.type === 'link') tokens.push({ t: 'link', dest: node.destination ?? '', v: piece.text });
    else if (node.type === 'strong' || node.type === 'emph') tokens.push({ t: 'title', v: piece.text });
    else tokens.push({ t: 'other', v: piece.text });
  }
  return tokens;
}

/** What a phrase may refer to: the phases of the document with their resources. */
export interface ReferenceScope {
  phases: readonly { id: string; title: string; resources: readonly { id: string; title: string }[] }[];
}

/** The phase (0-based) a phrase was written in; resource numbers count within it. */
export interface ReferenceSite {
  phaseIndex: number;
  /** "next" phrases name one step; "dependency" phrases a list. */
  mode: 'next' | 'dependency';
}

/** A problem with a phrase. */
export interface ReferenceProblem {
  code: DiagnosticCode;
  message: string;
}

/** Lookups built once per document. */
export class ReferenceIndex {
  readonly resourceIds = new Set<string>();
  readonly phaseIds = new Set<string>();
  // The first word of every title: a run of words that starts otherwise is no title. Most
  // phrases name phases and resources by number, so the titles themselves are normalised only
  // when a phrase starts like one.
  private readonly firstWords = new Set<string>();
  private titles: { resources: Map<string, string>; phases: Map<string, string> } | undefined;
  private readonly longestTitle: number;

  constructor(readonly scope: ReferenceScope) {
    let longest = 1;
    const title = (text: string): void => {
      const words = titleWords(text);
      if (words === null) return;
      this.firstWords.add(words.first);
      longest = Math.max(longest, words.count);
    };
    for (const phase of scope.phases) {
      this.phaseIds.add(phase.id);
      title(phase.title);
      for (const r of phase.resources) {
        this.resourceIds.add(r.id);
        title(r.title);
      }
    }
    this.longestTitle = Math.min(longest + 4, 64);
  }

  /** Whether some title starts with this (normalised) word. */
  startsTitle(word: string): boolean {
    return this.firstWords.has(word);
  }

  /** A reference by title: a resource first, then a phase. */
  byTitle(title: string): Reference | null {
    return this.byNormalizedTitle(normalizeTitle(title));
  }

  /** `byTitle` for a title already normalised (lower case, words joined by single spaces). */
  byNormalizedTitle(key: string): Reference | null {
    const titles = (this.titles ??= this.#titles());
    const resource = titles.resources.get(key);
    if (resource !== undefined) return { resource };
    const phase = titles.phases.get(key);
    return phase === undefined ? null : { phase };
  }

  /** How many words a title match may span. */
  get maxTitleWords(): number {
    return this.longestTitle;
  }

  #titles(): { resources: Map<string, string>; phases: Map<string, string> } {
    const resources = new Map<string, string>();
    const phases = new Map<string, string>();
    for (const phase of this.scope.phases) {
      setFirst(phases, normalizeTitle(phase.title), phase.id);
      for (const r of phase.resources) setFirst(resources, normalizeTitle(r.title), r.id);
    }
    return { resources, phases };
  }
}

function setFirst(map: Map<string, string>, key: string, value: string): void {
  if (key !== '' && !map.has(key)) map.set(key, value);
}

// Lowercase ASCII words joined by single spaces: already normal.
const NORMAL_WORDS = /^[a-z0-9]+(?: [a-z0-9]+)*$/;
const BEYOND_ASCII = /[^\u0000-\u007f]/;

/** A title's letters and digits, lower-cased, in words joined by single spaces (exported for tests). */
export function normalizeTitle(title: string): string {
  if (NORMAL_WORDS.test(title)) return title;
  const lower = title.toLowerCase();
  // Among ASCII characters the letters and digits are [a-z0-9] once lower-cased: a plain class
  // is much cheaper to match than Unicode properties.
  if (!BEYOND_ASCII.test(lower)) return lower.replace(/[^a-z0-9]+/g, ' ').trim();
  return lower.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const FIRST_WORD_ASCII = /[a-z0-9]+/;
const FIRST_WORD = /[\p{L}\p{N}]+/u;
const WORD_GAPS_ASCII = /[a-z0-9][^a-z0-9]+(?=[a-z0-9])/g;
const WORD_GAPS = /[\p{L}\p{N}][^\p{L}\p{N}]+(?=[\p{L}\p{N}])/gu;

/**
 * The first word of `normalizeTitle(title)` and how many it has, or null when it has none,
 * without making the whole normalised title (exported for tests: the two must agree).
 */
export function titleWords(title: string): { first: string; count: number } | null {
  const lower = title.toLowerCase();
  const ascii = !BEYOND_ASCII.test(lower);
  const first = (ascii ? FIRST_WORD_ASCII : FIRST_WORD).exec(lower)?.[0];
  if (first === undefined) return null;
  // Words are runs of letters and digits: one more than the gaps between them.
  return { first, count: 1 + (lower.match(ascii ? WORD_GAPS_ASCII : WORD_GAPS)?.length ?? 0) };
}

const NONE = new Set(['none', 'nothing', 'n/a', 'na', '-', '—', '–', 'no dependencies']);
const FILLERS = new Set([
  'complete', 'completed', 'completing', 'finish', 'finished', 'finishing', 'move', 'go', 'proceed', 'continue',
  'start', 'begin', 'read', 'study', 'review', 'take', 'watch', 'do', 'to', 'with', 'on', 'onto', 'the', 'after',
  'first', 'all', 'of', 'learning', 'requires', 'require', 'needs', 'need',
]);
const SEPARATOR_WORDS = new Set(['and', 'then', 'plus']);
const PHASE_WORDS = new Set(['phase', 'phases']);
const RESOURCE_WORDS = new Set(['resource', 'resources']);
const PATH_WORDS = new Set(['path', 'paths']);

const EXPECTED =
  'expected e.g. "Phase 2", "resource 3", "resource 2 of Phase 1", "resource `id`", "path `slug`", a link to another path\'s document, or a resource title, joined by "and" or commas';

/** The slug of another path's document named by a relative link (`other-path.md`), or null. */
export function slugOfDocumentLink(destination: string): string | null {
  if (destination === '' || destination.startsWith('#') || destination.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(destination)) return null;
  let path = destination.split(/[?#]/)[0] ?? '';
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the encoded form
  }
  const name = path.split('/').pop() ?? '';
  const match = /^(.+)\.(md|markdown|ya?ml|json)$/i.exec(name);
  if (!match) return null;
  const base = match[1]!;
  return SlugSchema.safeParse(base).success ? base : slugify(base);
}

const NUMBER = /^#?(\d{1,6})$/;

interface Item {
  next: number;
  ref?: Reference;
  problem?: ReferenceProblem;
  /** The item is a title read from plain words. */
  words?: true;
}

/**
 * Resolves a phrase to typed references. Numbers that name no phase or resource are LP101
 * (dependencies) or LP104 (next steps); phrases that cannot be read are LP206.
 */
export function resolveReference(tokens: readonly RefToken[], site: ReferenceSite, index: ReferenceIndex): { refs: Reference[]; problems: ReferenceProblem[] } {
  return new PhraseReader(tokens, site, index).read();
}

/** The reading of one phrase: its tokens, where it was written and what it may name. */
class PhraseReader {
  readonly #refs: Reference[] = [];
  readonly #problems: ReferenceProblem[] = [];
  readonly #unknown: DiagnosticCode;
  readonly #what: string;
  readonly #phases: ReferenceScope['phases'];
  // Each token's words, normalised once (a phrase is tried as titles of many lengths).
  readonly #normalized: (string | undefined)[] = [];
  // Each word token lower-cased, once (a token is looked at by several rules).
  readonly #lower: (string | undefined)[] = [];
  #lastKind: 'phase' | 'resource' | null = null;
  #listPhase: number | null = null;

  constructor(
    private readonly tokens: readonly RefToken[],
    private readonly site: ReferenceSite,
    private readonly index: ReferenceIndex,
  ) {
    this.#unknown = site.mode === 'next' ? 'LP104' : 'LP101';
    this.#what = site.mode === 'next' ? 'next step' : 'dependency';
    this.#phases = index.scope.phases;
  }

  read(): { refs: Reference[]; problems: ReferenceProblem[] } {
    const { tokens } = this;
    const refs = this.#refs;
    const problems = this.#problems;
    // The phrases that name nothing are one or two words.
    if (tokens.length <= 2 && NONE.has(tokens.map((t) => t.v).join(' ').trim().toLowerCase())) return { refs, problems };
    if (tokens.length === 0) return this.#unreadable('it is empty');
    // A qualifier that ends the phrase applies to the whole list: "resource 2 and resource 4 of
    // Phase 1", "resources 2 & 4 in Phase 1" both name resources of Phase 1.
    this.#listPhase = tokens.length >= 3 ? this.#qualifierAt(tokens.length - 3) : null;

    let i = 0;
    while (i < tokens.length) {
      let item: Item | null = null;
      while (i < tokens.length) {
        item = this.#matchItem(i);
        const word = this.#wordAt(i);
        const filler = word !== null && FILLERS.has(word);
        // A title that is also a filler word ("to", "Review") and that more than a separator
        // follows reads as the filler: "Move to Phase 1" with a phase titled "To".
        if (item && !(item.words && filler && !this.#endsItem(item.next))) break;
        item = null;
        if (!filler) break;
        i++;
      }
      if (!item) {
        const rest = tokens.slice(i).map((t) => t.v).join(' ');
        return this.#unreadable(i >= tokens.length ? 'it names nothing' : `"${rest.length > 60 ? `${rest.slice(0, 57)}...` : rest}" is not a reference`);
      }
      if (item.ref) refs.push(item.ref);
      if (item.problem) problems.push(item.problem);
      i = item.next;
      if (i >= tokens.length) break;
      if (!this.#endsItem(i)) {
        const rest = tokens.slice(i).map((t) => t.v).join(' ');
        return this.#unreadable(`unexpected "${rest.length > 60 ? `${rest.slice(0, 57)}...` : rest}"`);
      }
      while (i < tokens.length && this.#endsItem(i)) i++;
      if (i >= tokens.length) return this.#unreadable('it ends with a separator');
    }
    if (this.site.mode === 'next' && refs.length + problems.length > 1) {
      return { refs: refs.slice(0, 1), problems: [...problems, { code: 'LP206', message: 'a next step names one phase, resource or path, but this one names several' }] };
    }
    return { refs, problems };
  }

  #unreadable(message: string): { refs: Reference[]; problems: ReferenceProblem[] } {
    return { refs: this.#refs, problems: [...this.#problems, { code: 'LP206', message: `cannot read the ${this.#what}: ${message}; ${EXPECTED}` }] };
  }

  #normalizedWords(from: number, to: number): string {
    const words: string[] = [];
    for (let k = from; k < to; k++) {
      const word = (this.#normalized[k] ??= normalizeTitle(this.tokens[k]!.v));
      if (word !== '') words.push(word);
    }
    return words.join(' ');
  }

  // Whether the words from token `i` on start like some title (so a run of them may be one).
  #startsTitle(i: number): boolean {
    const { tokens } = this;
    for (let k = i; k < tokens.length && (tokens[k]!.t === 'word' || tokens[k]!.t === 'sep'); k++) {
      const word = (this.#normalized[k] ??= normalizeTitle(tokens[k]!.v));
      if (word === '') continue;
      const space = word.indexOf(' ');
      return this.index.startsTitle(space < 0 ? word : word.slice(0, space));
    }
    return false;
  }

  #phaseByNumber(n: number, at: number): Item {
    const phases = this.#phases;
    const phase = phases[n - 1];
    if (!phase) return { next: at, problem: { code: this.#unknown, message: `the ${this.#what} names Phase ${n}, but the path has ${phases.length === 1 ? 'only 1 phase' : `${phases.length} phases`}` } };
    return { next: at, ref: { phase: phase.id } };
  }

  #resourceByNumber(n: number, phaseNumber: number | null, at: number): Item {
    const phases = this.#phases;
    const phaseIndex = phaseNumber === null ? this.site.phaseIndex : phaseNumber - 1;
    const phase = phases[phaseIndex];
    const where = phaseNumber === null ? 'this phase' : `Phase ${phaseNumber}`;
    if (!phase) return { next: at, problem: { code: this.#unknown, message: `the ${this.#what} names Phase ${phaseNumber ?? '?'}, but the path has ${phases.length} phases` } };
    const resource = phase.resources[n - 1];
    if (!resource) return { next: at, problem: { code: this.#unknown, message: `the ${this.#what} names resource ${n}, but ${where} has ${phase.resources.length === 1 ? 'only 1 resource' : `${phase.resources.length} resources`}` } };
    return { next: at, ref: { resource: resource.id } };
  }

  #byId(id: string, at: number, kind: 'phase' | 'resource' | 'any'): Item {
    if (!SlugSchema.safeParse(id).success) return { next: at, problem: { code: 'LP206', message: `cannot read the ${this.#what}: "${id}" is not an id (lowercase letters, digits and single hyphens)` } };
    if (kind === 'phase') return { next: at, ref: { phase: id } };
    if (kind === 'resource') return { next: at, ref: { resource: id } };
    if (this.index.resourceIds.has(id)) return { next: at, ref: { resource: id } };
    if (this.index.phaseIds.has(id)) return { next: at, ref: { phase: id } };
    return { next: at, ref: { resource: id } };
  }

  #numberAt(i: number): number | null {
    const token = this.tokens[i];
    if (token?.t !== 'word') return null;
    const match = NUMBER.exec(token.v);
    return match ? Number(match[1]) : null;
  }

  // Whether token `i` ends an item: the phrase's end, or a separator (",", "and"…).
  #endsItem(i: number): boolean {
    return i >= this.tokens.length || this.tokens[i]!.t === 'sep' || SEPARATOR_WORDS.has(this.#wordAt(i) ?? '');
  }

  #wordAt(i: number): string | null {
    const token = this.tokens[i];
    return token?.t === 'word' ? (this.#lower[i] ??= token.v.toLowerCase()) : null;
  }

  #matchItem(i: number): Item | null {
    const { tokens, index } = this;
    const token = tokens[i]!;
    const word = this.#wordAt(i);
    if (word !== null && PHASE_WORDS.has(word)) {
      const n = this.#numberAt(i + 1);
      this.#lastKind = 'phase';
      if (n !== null) return this.#phaseByNumber(n, i + 2);
      const next = tokens[i + 1];
      if (next?.t === 'code') return this.#byId(next.v, i + 2, 'phase');
      if (next?.t === 'word' && index.phaseIds.has(next.v)) return this.#byId(next.v, i + 2, 'phase');
      return null;
    }
    if (word !== null && RESOURCE_WORDS.has(word)) {
      const n = this.#numberAt(i + 1);
      this.#lastKind = 'resource';
      if (n !== null) return this.#resourceNumber(n, i + 2);
      const next = tokens[i + 1];
      if (next?.t === 'code') return this.#byId(next.v, i + 2, 'resource');
      if (next?.t === 'word' && index.resourceIds.has(next.v)) return this.#byId(next.v, i + 2, 'resource');
      return null;
    }
    if (word !== null && PATH_WORDS.has(word)) {
      const next = tokens[i + 1];
      if (next?.t === 'link') return this.#pathLink(next.dest, i + 2);
      if ((next?.t === 'code' || next?.t === 'word') && SlugSchema.safeParse(next.v).success) return { next: i + 2, ref: { path: next.v } };
      return null;
    }
    const n = this.#numberAt(i);
    if (n !== null && this.#lastKind === 'phase') return this.#phaseByNumber(n, i + 1);
    if (n !== null && this.#lastKind === 'resource') return this.#resourceNumber(n, i + 1);
    if (token.t === 'code') return this.#byId(token.v, i + 1, 'any');
    if (token.t === 'link') {
      if (token.dest.startsWith('#') && token.dest.length > 1) return this.#byId(token.dest.slice(1), i + 1, 'any');
      return this.#pathLink(token.dest, i + 1);
    }
    if (token.t === 'title') {
      const ref = index.byTitle(token.v);
      return ref ? { next: i + 1, ref } : { next: i + 1, problem: { code: this.#unknown, message: `the ${this.#what} names "${token.v}", but no resource or phase of this path has that title` } };
    }
    if (token.t === 'word' && this.#startsTitle(i)) {
      // The longest run of words that is the title of a resource or phase. A run's key is its
      // words normalised one by one and joined, which is what normalising the joined run gives.
      let end = i;
      while (end < tokens.length && end < i + index.maxTitleWords && (tokens[end]!.t === 'word' || tokens[end]!.t === 'sep')) end++;
      for (let j = end; j > i; j--) {
        if (tokens[j - 1]!.t !== 'word') continue;
        const key = this.#normalizedWords(i, j);
        const ref = key === '' ? null : index.byNormalizedTitle(key);
        if (ref) return { next: j, ref, words: true };
      }
    }
    return null;
  }

  // "resource 2 of Phase 1", "resource 2 in Phase 1"
  #qualifierAt(at: number): number | null {
    const of = this.#wordAt(at);
    return (of === 'of' || of === 'in' || of === 'from') && PHASE_WORDS.has(this.#wordAt(at + 1) ?? '') ? this.#numberAt(at + 2) : null;
  }

  #resourceNumber(n: number, at: number): Item {
    const phaseNumber = this.#qualifierAt(at);
    if (phaseNumber !== null) return this.#resourceByNumber(n, phaseNumber, at + 3);
    return this.#resourceByNumber(n, this.#listPhase, at);
  }

  #pathLink(destination: string, at: number): Item | null {
    const slug = slugOfDocumentLink(destination);
    return slug === null ? null : { next: at, ref: { path: slug } };
  }
}
