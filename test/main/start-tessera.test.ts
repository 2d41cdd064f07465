/** What startTessera works out from the content for the gate: the class a character of an account class plays. */
import { describe, expect, it } from 'vitest';
import { classNumbers } from '../../src/main/start-tessera.ts';

describe('classNumbers', () => {
  it('an account classId is the content class of that number (the API offers the content\'s); 0 (the first) past them', () => {
    const of = classNumbers(['class.warrior', 'class.mage', 'class.rogue']);
    expect([of(1), of(2), of(3)]).toEqual([1, 2, 3]);
    expect(of(4)).toBe(0); // made under other content
    expect(of(0)).toBe(0); // a guest
    expect(of(-1)).toBe(0);
    expect(of(1.5)).toBe(0);
    expect(classNumbers([])(1)).toBe(0);
  });
});
