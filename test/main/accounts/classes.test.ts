/** The account API's classes come from the content: the same numbers the cells give them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILE_SCHEMAS } from '../../../src/content/schema/index.ts';
import { accountClassesOf, NO_CONTENT_CLASSES } from '../../../src/main/accounts/classes.ts';
import { classNumbers } from '../../../src/main/start-tessera.ts';
import * as v from '../../../src/main/accounts/validate.ts';

const defaultClasses = FILE_SCHEMAS.classes.parse(JSON.parse(readFileSync(new URL('../../../data/classes.json', import.meta.url), 'utf8'))).classes;

describe('account classes', () => {
  it('are the default world\'s classes, numbered as the cells number them', () => {
    const offered = accountClassesOf(defaultClasses);
    expect(offered.map((c) => [c.id, c.key, c.name])).toEqual([
      [1, 'warrior', 'Warrior'],
      [2, 'mage', 'Mage'],
      [3, 'rogue', 'Rogue'],
    ]);
    // Every class offered plays that content class; nothing else is offered.
    const of = classNumbers(defaultClasses.map((c) => c.id));
    for (const c of offered) expect(defaultClasses[of(c.id) - 1].id).toBe(`class.${c.key}`);
    expect(offered[0].description).toBe(defaultClasses[0].description);
  });

  it('validate a classId against them, naming the choices', () => {
    const offered = accountClassesOf(defaultClasses);
    expect(v.classId(3, offered)).toBe(3);
    for (const bad of [0, 4, '1', 1.5, undefined, null, -1, Number.NaN]) {
      expect(() => v.classId(bad, offered)).toThrow(/classId .*1 \(warrior\), 2 \(mage\), 3 \(rogue\)/);
    }
    expect(v.classId(1, NO_CONTENT_CLASSES)).toBe(1);
    expect(() => v.classId(2, NO_CONTENT_CLASSES)).toThrow(/1 \(adventurer\)/);
  });
});
