/**
 * A generated world for the content benchmark: one 1024×1024 Tiled map
 * (TMX, base64 + zlib layers: ground with flipped tiles, sparse decoration,
 * collision with about 20 % blocked in patches), an external tileset with an
 * image and an animated tile, a few hundred objects of every Tessera class,
 * and one NPC template. Deterministic for a seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { mulberry32 } from '../src/shared/random.ts';

function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width * 4 + 1)] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const layer = (gids: Uint32Array) => deflateSync(Buffer.from(gids.buffer)).toString('base64');

/** Writes the world into `dir` (world.json, maps/, tilesets/, content/); returns the map's size in bytes. */
export function writeBigWorld(dir: string, size = 1024, seed = 5): number {
  const rnd = mulberry32(seed);
  mkdirSync(join(dir, 'maps'), { recursive: true });
  mkdirSync(join(dir, 'tilesets'), { recursive: true });
  mkdirSync(join(dir, 'content'), { recursive: true });
  writeFileSync(join(dir, 'tilesets/terrain.png'), png(128, 128));
  writeFileSync(
    join(dir, 'tilesets/terrain.tsx'),
    `<?xml version="1.0" encoding="UTF-8"?>
<tileset version="1.10" tiledversion="1.10.2" name="terrain" tilewidth="16" tileheight="16" tilecount="64" columns="8">
 <image source="terrain.png" width="128" height="128"/>
 <tile id="9"><animation><frame tileid="9" duration="250"/><frame tileid="10" duration="250"/></animation></tile>
</tileset>
`,
  );
  const n = size * size;
  const ground = new Uint32Array(n);
  const decor = new Uint32Array(n);
  const collision = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    ground[i] = (1 + Math.floor(rnd() * 8)) | (rnd() < 0.05 ? 0x8000_0000 : 0);
    if (rnd() < 0.03) decor[i] = 17 + Math.floor(rnd() * 16);
  }
  // Rock patches (about 20 % of the area) and a border.
  for (let p = 0; p < Math.floor((n * 0.2) / 36); p++) {
    const cx = Math.floor(rnd() * size);
    const cy = Math.floor(rnd() * size);
    for (let dy = -3; dy < 3; dy++) for (let dx = -3; dx < 3; dx++) if (cx + dx >= 0 && cy + dy >= 0 && cx + dx < size && cy + dy < size) collision[(cy + dy) * size + cx + dx] = 2;
  }
  for (let k = 0; k < size; k++) collision[k] = collision[(size - 1) * size + k] = collision[k * size] = collision[k * size + size - 1] = 2;
  const mid = (size / 2) * size + size / 2;
  collision[mid] = 0;
  const objects: string[] = [`<object id="1" name="start" class="spawn" x="${(size / 2) * 16 + 8}" y="${(size / 2) * 16 + 8}"><point/></object>`];
  let id = 2;
  const px = () => Math.floor(16 + rnd() * (size - 2) * 16);
  for (let k = 0; k < 200; k++) {
    objects.push(`<object id="${id++}" name="area${k}" class="spawn-area" x="${px()}" y="${px()}" width="64" height="48"><properties><property name="npc" value="npc.wolf"/><property name="count" type="int" value="5"/></properties></object>`);
  }
  for (let k = 0; k < 100; k++) objects.push(`<object id="${id++}" name="spot${k}" class="point" x="${px()}" y="${px()}"><point/></object>`);
  for (let k = 0; k < 50; k++) {
    objects.push(`<object id="${id++}" name="guard${k}" class="npc" x="${px()}" y="${px()}"><properties><property name="npc" value="npc.wolf"/></properties><polyline points="0,0 32,0 32,32 0,32"/></object>`);
  }
  for (let k = 0; k < 20; k++) objects.push(`<object id="${id++}" name="gate${k}" class="portal" x="${px()}" y="${px()}" width="32" height="32"><properties><property name="zone" value="big"/><property name="target" value="spot${k}"/></properties></object>`);
  for (let k = 0; k < 20; k++) objects.push(`<object id="${id++}" name="town${k}" class="safe-area" x="${px()}" y="${px()}" width="128" height="128"/>`);
  for (let k = 0; k < 500; k++) objects.push(`<object id="${id++}" name="tree${k}" class="tree" x="${px()}" y="${px()}" width="16" height="16"/>`);
  const tmx = `<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" renderorder="right-down" width="${size}" height="${size}" tilewidth="16" tileheight="16" infinite="0" nextlayerid="5" nextobjectid="${id}">
 <tileset firstgid="1" source="../tilesets/terrain.tsx"/>
 <layer id="1" name="ground" width="${size}" height="${size}"><data encoding="base64" compression="zlib">${layer(ground)}</data></layer>
 <layer id="2" name="decor" width="${size}" height="${size}"><data encoding="base64" compression="zlib">${layer(decor)}</data></layer>
 <layer id="3" name="collision" width="${size}" height="${size}" visible="0"><data encoding="base64" compression="zlib">${layer(collision)}</data></layer>
 <objectgroup id="4" name="world">
  ${objects.join('\n  ')}
 </objectgroup>
</map>
`;
  writeFileSync(join(dir, 'maps/big.tmx'), tmx);
  writeFileSync(join(dir, 'world.json'), JSON.stringify({ start: 'big', content: 'content', zones: [{ name: 'big', map: 'maps/big.tmx', cells: { cols: 2, rows: 2 } }] }, null, 2));
  const wolf = {
    id: 'npc.wolf', name: 'Grey Wolf', level: 2, stats: { health: 60 }, speed: 3.5, ai: 'wander', hostility: 'aggressive',
    aggroRadius: 6, leashRadius: 20, attack: { damage: { min: 3, max: 6 }, intervalMs: 2000, range: 1.5 }, respawnSeconds: 30,
  };
  writeFileSync(join(dir, 'content/npcs.json'), JSON.stringify({ npcs: [wolf] }));
  return Buffer.byteLength(tmx);
}
