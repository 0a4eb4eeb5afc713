import { describe, expect, it } from 'vitest';
import { moved, reasonDrafts, reasonsPayload, validateReasons } from '../pauseReasonsModel';

const listed = [
  { id: 2, name: 'Baño', active: true, position: 2, in_use: 1 },
  { id: 1, name: 'Almuerzo', active: true, position: 1, in_use: 0 },
];

describe('pause reasons edited', () => {
  it('start in the menu order', () => {
    expect(reasonDrafts(listed).map((r) => r.name)).toEqual(['Almuerzo', 'Baño']);
  });

  it('move up and down within the list', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('are checked as the server will', () => {
    const rows = [...reasonDrafts(listed), { id: null, name: ' almuerzo ', active: true, inUse: 0 }, { id: null, name: ' ', active: false, inUse: 0 }];
    expect(validateReasons(rows)).toEqual({ rows: { 2: 'repeated', 3: 'required' }, noneActive: false });
    expect(validateReasons(rows.map((r) => ({ ...r, active: false }))).noneActive).toBe(true);
  });

  it('are sent trimmed, new ones without an id', () => {
    const rows = [...reasonDrafts(listed), { id: null, name: ' Reunión ', active: true, inUse: 0 }];
    expect(reasonsPayload(rows)).toEqual([
      { id: 1, name: 'Almuerzo', active: true },
      { id: 2, name: 'Baño', active: true },
      { name: 'Reunión', active: true },
    ]);
  });
});
