/**
 * Tiled map reading: TMX/TMJ maps with TSX/TSJ tilesets and TX/TJ templates
 * into one plain-data model for the content compiler.
 */
export { TiledError, type Where } from './errors.ts';
export { resolveGid, tilesetSpan, gidFlags, gidId } from './gids.ts';
export { fsLoader, resolvePath, type TiledLoader } from './loader.ts';
export * from './model.ts';
export { readTiledMap, readTiledTileset, type ReadTiledOptions } from './read.ts';
