import { describe, expect, it } from 'vitest';
import { compilePath } from './document.js';
import { indexPath } from './path-index.js';

describe('indexPath', () => {
  const path = compilePath({
    slug: 'twice',
    title: 'Twice',
    phases: [
      { id: 'one', title: 'One', resources: [{ id: 'a', title: 'First A', kind: 'article' }, { id: 'b', title: 'B', kind: 'video' }] },
      { id: 'one', title: 'One again', resources: [{ id: 'a', title: 'Second A', kind: 'book' }] },
    ],
  });

  it('finds phases and resources by id, each resource with its phase and path; the first of a duplicate id wins', () => {
    const index = indexPath(path);
    expect(index.phases.get('one')?.title).toBe('One');
    expect([...index.resources.keys()]).toEqual(['a', 'b']);
    const a = index.resources.get('a')!;
    expect([a.resource.title, a.phase.title, a.path.slug]).toEqual(['First A', 'One', 'twice']);
    expect(index.phases.get('missing')).toBeUndefined();
  });

  it('builds the index once per path object', () => {
    expect(indexPath(path)).toBe(indexPath(path));
    expect(indexPath(structuredClone(path))).not.toBe(indexPath(path));
  });
});
