/** What startTessera works out from the content for the gate: the class a character of an account class plays. */
import { describe, expect, it } from 'vitest';
import { classNumbers } from '../../src/main/start-tessera.ts';

describe('classNumbers', () => {
  it('maps an account classId to the content class of the same name, and to 0 (the first) when the content has none', () => {
    const of = classNumbers(['class.warrior', 'class.mage', 'class.rogue']);
    expect(of(1)).toBe(1); // warrior
    expect(of(3)).toBe(2); // mage
    expect(of(2)).toBe(0); // ranger: not in the content
    expect(of(0)).toBe(0); // a guest
    expect(classNumbers([])(1)).toBe(0);
  });
});
