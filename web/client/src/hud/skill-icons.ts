import { iconSign, type IconSign } from '../combat/icon-sign.ts';
import type { ClientSkillJson } from '../content/types.ts';

/**
 * Skill icons, drawn: the sprite atlas (Dungeon Crawl's tiles) has no skill
 * art, so each skill gets a 64×64 picture painted once on a canvas and kept
 * as a data URL: a ground in its school's colour and a sign for what it
 * does first (a blade for a physical blow, a flame, an ice shard, a cross
 * for a heal, a rising chevron for a buff, a falling one for a debuff,
 * drops for damage over time, a ring for a skill aimed at the ground).
 * The hotbar, the aura strips and the tooltips use the same pictures.
 */
const SCHOOL_COLOURS: Record<string, [string, string]> = {
  physical: ['#8a6a4a', '#3a2a1c'],
  fire: ['#ff8a3c', '#5a1a08'],
  frost: ['#8fd8ff', '#123a5a'],
  nature: ['#8ee06a', '#1f4a16'],
  holy: ['#ffe79a', '#5a4a14'],
  shadow: ['#c59bff', '#2a1646'],
  arcane: ['#f59bff', '#461646'],
};

const cache = new Map<string, string>();

/** The data URL of a skill's icon ('' where the page cannot paint: no 2D canvas). */
export function skillIconUrl(s: ClientSkillJson): string {
  const key = `${s.id}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const g = canvas.getContext('2d');
  if (!g) return '';
  const [light, dark] = SCHOOL_COLOURS[s.school] ?? SCHOOL_COLOURS.physical;
  const bg = g.createRadialGradient(26, 22, 4, 32, 32, 46);
  bg.addColorStop(0, light);
  bg.addColorStop(1, dark);
  g.fillStyle = bg;
  g.fillRect(0, 0, 64, 64);
  g.lineJoin = 'round';
  g.lineCap = 'round';
  g.strokeStyle = 'rgba(0,0,0,0.75)';
  g.fillStyle = '#fff8e8';
  g.lineWidth = 3;
  paint(g, iconSign(s));
  g.strokeStyle = 'rgba(255,255,255,0.25)';
  g.lineWidth = 2;
  g.strokeRect(1, 1, 62, 62);
  const url = canvas.toDataURL('image/png');
  cache.set(key, url);
  return url;
}

function shape(g: CanvasRenderingContext2D, points: readonly number[]): void {
  g.beginPath();
  g.moveTo(points[0], points[1]);
  for (let i = 2; i < points.length; i += 2) g.lineTo(points[i], points[i + 1]);
  g.closePath();
  g.fill();
  g.stroke();
}

function paint(g: CanvasRenderingContext2D, sign: IconSign): void {
  switch (sign) {
    case 'blade':
      shape(g, [46, 10, 54, 10, 54, 18, 26, 46, 18, 38]); // the blade, point up right
      shape(g, [14, 36, 28, 50, 24, 54, 10, 40]); // the guard
      shape(g, [14, 46, 18, 50, 10, 58, 6, 54]); // the grip
      break;
    case 'flame':
      g.beginPath();
      g.moveTo(32, 6);
      g.bezierCurveTo(44, 22, 54, 32, 48, 46);
      g.bezierCurveTo(44, 56, 20, 58, 16, 44);
      g.bezierCurveTo(12, 32, 24, 30, 24, 18);
      g.bezierCurveTo(30, 26, 30, 30, 32, 6);
      g.closePath();
      g.fill();
      g.stroke();
      break;
    case 'shard':
      shape(g, [32, 6, 44, 30, 32, 58, 20, 30]);
      g.beginPath();
      g.moveTo(32, 6);
      g.lineTo(32, 58);
      g.moveTo(20, 30);
      g.lineTo(44, 30);
      g.stroke();
      break;
    case 'cross':
      shape(g, [26, 10, 38, 10, 38, 26, 54, 26, 54, 38, 38, 38, 38, 54, 26, 54, 26, 38, 10, 38, 10, 26, 26, 26]);
      break;
    case 'up':
      shape(g, [32, 8, 54, 30, 42, 30, 42, 56, 22, 56, 22, 30, 10, 30]);
      break;
    case 'down':
      shape(g, [32, 56, 54, 34, 42, 34, 42, 8, 22, 8, 22, 34, 10, 34]);
      break;
    case 'drops':
      for (const [x, y, r] of [[22, 24, 8], [42, 22, 7], [32, 44, 9]]) {
        g.beginPath();
        g.moveTo(x, y - r * 2);
        g.quadraticCurveTo(x + r * 1.2, y, x, y + r);
        g.quadraticCurveTo(x - r * 1.2, y, x, y - r * 2);
        g.fill();
        g.stroke();
      }
      break;
    case 'ring':
      g.lineWidth = 7;
      g.strokeStyle = '#fff8e8';
      g.beginPath();
      g.arc(32, 34, 18, 0, Math.PI * 2);
      g.stroke();
      g.lineWidth = 3;
      g.strokeStyle = 'rgba(0,0,0,0.75)';
      g.beginPath();
      g.arc(32, 34, 22, 0, Math.PI * 2);
      g.stroke();
      g.fillStyle = '#fff8e8';
      g.beginPath();
      g.arc(32, 34, 5, 0, Math.PI * 2);
      g.fill();
      break;
  }
}
