import { STAT_COUNT, statBlock } from './stat-block.ts';
import type { Content } from './schema/kinds.ts';

/** The stats each item adds while worn, by item number (items.json order, 1-based; 0: none), as stat blocks end to end. */
export class ItemStatsTable {
  readonly count: number;
  readonly stats: Float32Array;

  constructor(content: Pick<Content, 'items'> | undefined) {
    const items = content?.items ?? [];
    this.count = items.length + 1;
    this.stats = new Float32Array(this.count * STAT_COUNT);
    items.forEach((it, i) => this.stats.set(statBlock(it.stats ?? {}), (i + 1) * STAT_COUNT));
  }
}
