import { describe, expect, it } from 'vitest';
import { PositionMap } from './source.js';

const at = (line: number, column = 1): { line: number; column: number } => ({ line, column });

describe('PositionMap', () => {
  it('locates a pointer at its own record, else at the nearest enclosing one, else line 1', () => {
    const map = new PositionMap();
    map.set(['phases', 0], at(10));
    map.set(['phases', 0, 'resources', 1], at(14, 4));
    expect(map.locate(['phases', 0, 'resources', 1])).toEqual(at(14, 4));
    expect(map.locate(['phases', 0, 'resources', 1, 'title'])).toEqual(at(14, 4));
    expect(map.locate(['phases', 0, 'resources', 2, 'title'])).toEqual(at(10));
    expect(map.locate(['phases', 1])).toEqual(at(1));
    expect(map.locate([])).toEqual(at(1));
    map.set([], at(3));
    expect(map.locate(['checklist', 0])).toEqual(at(3));
  });

  it('keeps the first record, unless it is replaced', () => {
    const map = new PositionMap();
    map.set(['title'], at(1));
    map.set(['title'], at(2));
    expect(map.locate(['title'])).toEqual(at(1));
    map.replace(['title'], at(5));
    expect(map.locate(['title'])).toEqual(at(5));
    map.set(['phases', 0], at(7), 'dependsOn');
    expect(map.locate(['phases', 0, 'dependsOn', 3])).toEqual(at(7));
  });

  it('places members without a record of their own where the members were written', () => {
    const map = new PositionMap();
    const resource = ['phases', 0, 'resources', 0];
    map.set(resource, at(20, 1));
    map.setMembers(resource, at(20, 4));
    map.replace(resource, at(22, 14), 'url');
    expect(map.locate(resource)).toEqual(at(20, 1));
    expect(map.locate([...resource, 'title'])).toEqual(at(20, 4));
    expect(map.locate([...resource, 'dependsOn', 1])).toEqual(at(20, 4));
    expect(map.locate([...resource, 'url'])).toEqual(at(22, 14));
  });

  it('takes an index written as a string for the number', () => {
    const map = new PositionMap();
    map.set(['phases', 2, 'title'], at(30));
    expect(map.locate(['phases', '2', 'title'])).toEqual(at(30));
    map.set(['tags', '01'], at(4));
    expect(map.locate(['tags', 1])).toEqual(at(1));
    expect(map.locate(['tags', '01'])).toEqual(at(4));
  });
});
