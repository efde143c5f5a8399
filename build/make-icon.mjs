// `node build/make-icon.mjs`: draws Hearth's app icon, a flame over two crossed logs on a
// dark rounded square, into build/icon.png (1024×1024 RGBA), from which electron-builder
// makes each platform's icon (.icns, .ico, the Linux sizes). No image library: the shapes
// are tested per sample (4×4 samples per pixel for smooth edges) and the PNG is written
// with zlib (PNG spec: signature, IHDR, IDAT, IEND; https://www.w3.org/TR/png-3/).
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deflateSync } from "node:zlib";

/** The icon's side in pixels (macOS wants at least 512; 1024 also covers Retina). */
const ICON_SIZE = 1024;
const SAMPLES = 4;

/** Colours, [r, g, b] 0–255. */
const BACKGROUND_TOP = [58, 36, 28];
const BACKGROUND_BOTTOM = [24, 16, 14];
const GLOW = [150, 62, 20];
const LOG_BACK = [96, 56, 34];
const LOG_FRONT = [128, 78, 48];
const LOG_END = [196, 140, 92];
const FLAME_OUTER = [255, 122, 26];
const FLAME_MIDDLE = [255, 176, 46];
const FLAME_INNER = [255, 236, 150];

// Shapes in unit coordinates: x and y from 0 to 1, y down.

/** The rounded square the icon sits on (Apple's grid leaves a margin around it). */
function insideBackground(x, y) {
  const margin = 0.085;
  const radius = 0.2;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - margin - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - margin - radius), 0);
  return qx * qx + qy * qy <= radius * radius;
}

/**
 * A flame: pointed top, round bottom, its tip leaning right. `top` and `bottom` are its
 * extent in y, `halfWidth` its widest half-width, `lean` how far the tip moves in x.
 */
function insideFlame(x, y, { centerX, top, bottom, halfWidth, lean }) {
  if (y < top || y > bottom) return false;
  const t = (y - top) / (bottom - top); // 0 at the tip, 1 at the bottom
  const belly = 0.62; // where the flame is widest
  const width = t < belly ? halfWidth * Math.pow(t / belly, 1.35) : halfWidth * Math.sqrt(Math.max(0, 1 - Math.pow((t - belly) / (1 - belly), 2)));
  const center = centerX + lean * Math.pow(1 - t, 2) * Math.sin(Math.PI * t * 1.4);
  return Math.abs(x - center) <= width;
}

/** A log: a capsule from (x1, y1) to (x2, y2) of radius `radius`; "end" within `radius * 0.8` of the second end. */
function logAt(x, y, { x1, y1, x2, y2, radius }) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const along = Math.min(1, Math.max(0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  const distance = Math.hypot(x - (x1 + along * dx), y - (y1 + along * dy));
  if (distance > radius) return undefined;
  return Math.hypot(x - x2, y - y2) < radius * 0.8 ? "end" : "bark";
}

const LOGS = [
  [LOG_BACK, { x1: 0.24, y1: 0.8, x2: 0.74, y2: 0.68, radius: 0.055 }],
  [LOG_FRONT, { x1: 0.76, y1: 0.8, x2: 0.26, y2: 0.68, radius: 0.055 }],
];
const FLAMES = [
  [FLAME_OUTER, { centerX: 0.5, top: 0.17, bottom: 0.72, halfWidth: 0.2, lean: 0.07 }],
  [FLAME_MIDDLE, { centerX: 0.5, top: 0.33, bottom: 0.71, halfWidth: 0.135, lean: -0.05 }],
  [FLAME_INNER, { centerX: 0.5, top: 0.48, bottom: 0.7, halfWidth: 0.07, lean: 0.03 }],
];

const mix = (a, b, amount) => a.map((channel, index) => channel + (b[index] - channel) * amount);

/** The colour and opacity (0 or 1) of one sample. */
function sample(x, y) {
  if (!insideBackground(x, y)) return [0, 0, 0, 0];
  let colour = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, y);
  const glow = Math.max(0, 1 - Math.hypot(x - 0.5, (y - 0.62) * 1.3) / 0.42);
  colour = mix(colour, GLOW, glow * glow * 0.85);
  for (const [fill, flame] of FLAMES) if (insideFlame(x, y, flame)) colour = fill;
  // The front log covers the flame's base; the one drawn last is in front.
  for (const [bark, log] of LOGS) {
    const part = logAt(x, y, log);
    if (part !== undefined) colour = part === "end" ? LOG_END : bark;
  }
  return [...colour, 255];
}

/** The icon's pixels: `size`×`size` RGBA, row by row. */
function drawIcon(size = ICON_SIZE) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [r, g, b, a] = sample((column + (sx + 0.5) / SAMPLES) / size, (row + (sy + 0.5) / SAMPLES) / size);
          // Colours weighted by opacity, so edges blend with transparency, not with black.
          sum[0] += r * a;
          sum[1] += g * a;
          sum[2] += b * a;
          sum[3] += a;
        }
      }
      const offset = (row * size + column) * 4;
      const alpha = sum[3] / (SAMPLES * SAMPLES);
      for (let channel = 0; channel < 3; channel++) pixels[offset + channel] = sum[3] === 0 ? 0 : Math.round(sum[channel] / sum[3]);
      pixels[offset + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let value = byte;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

/** CRC-32 of `bytes` (PNG spec, "CRC algorithm"). */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A PNG of `size`×`size` RGBA `pixels` (8 bits per channel, no interlacing). */
function encodePng(pixels, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression 0, filter method 0, no interlace: already zero
  const rowLength = size * 4;
  const scanlines = Buffer.alloc((rowLength + 1) * size);
  for (let row = 0; row < size; row++) {
    scanlines[row * (rowLength + 1)] = 0; // filter type None
    pixels.copy(scanlines, row * (rowLength + 1) + 1, row * rowLength, (row + 1) * rowLength);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(scanlines, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const file = fileURLToPath(new URL("icon.png", import.meta.url));
  writeFileSync(file, encodePng(drawIcon(ICON_SIZE), ICON_SIZE));
  console.log(`wrote ${file} (${ICON_SIZE}×${ICON_SIZE})`);
}
