/**
 * A pure function of a short text, remembered for the texts it was last given. The documents of
 * a catalog spell the same few things thousands of times ("35 minutes", "[Article]", "Next step"),
 * and reading one of them again costs a lookup. At most `limit` texts are kept (all are forgotten
 * when it is reached), and texts longer than `maxLength` are read every time.
 */
export function memoizeText<T>(read: (text: string) => T, limit = 512, maxLength = 48): (text: string) => T {
  const known = new Map<string, T>();
  return (text: string): T => {
    if (text.length > maxLength) return read(text);
    const value = known.get(text);
    if (value !== undefined || known.has(text)) return value as T;
    const fresh = read(text);
    if (known.size >= limit) known.clear();
    known.set(ownCopy(text), fresh);
    return fresh;
  };
}

/**
 * The text as a string of its own. A slice of a document may be kept as a view of the whole
 * document (V8 does so from 13 characters), which a remembered key would keep alive; the text
 * joined to another string and cut off again is a new string of its own length.
 */
function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}
