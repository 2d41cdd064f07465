/**
 * The character classes the account API offers: the content's (classes.json),
 * numbered as the cells number them (1-based in file order), so the classId
 * a character is created with is the class it plays. Without content the
 * cells have no classes (class 0, a plain adventurer) and the API offers
 * that one under number 1.
 */
export interface AccountClass {
  /** The classId a character is created with: the content class number. */
  id: number;
  /** The content id without its "class." prefix ("warrior"). */
  key: string;
  name: string;
  description?: string;
}

/** What the API offers when the server runs without content. */
export const NO_CONTENT_CLASSES: readonly AccountClass[] = [{ id: 1, key: 'adventurer', name: 'Adventurer' }];

/** The account classes of content classes, in their order. */
export function accountClassesOf(classes: readonly { id: string; name: string; description?: string }[]): AccountClass[] {
  return classes.map((c, i) => ({ id: i + 1, key: c.id.replace(/^class\./, ''), name: c.name, ...(c.description ? { description: c.description } : {}) }));
}
