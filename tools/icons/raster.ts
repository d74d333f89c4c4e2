// A tiny rasteriser for flat shapes (a rounded square and polygons), supersampled for smooth
// edges, and the PNG and ICO encoders for what it draws. Pure: pixels in, bytes out; only
// node:zlib's deflate, so nothing has to be installed to regenerate the icons.
import { deflateSync } from "node:zlib";

export interface Rgba {
  width: number;
  height: number;
  /** Row-major, 4 bytes a pixel, straight (not premultiplied) alpha. */
  data: Uint8Array;
}

export interface Scene {
  /** The coordinate space of the shapes (a square); the output is scaled from it. */
  size: number;
  background: { fill: string; cornerRadius: number };
  polygons: readonly { fill: string; points: readonly (readonly [number, number])[] }[];
}

const parseHex = (hex: string): [number, number, number] => {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
};

function insideRoundedSquare(x: number, y: number, size: number, radius: number): boolean {
  if (x < 0 || y < 0 || x > size || y > size) return false;
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** Even-odd crossing test. */
function insidePolygon(x: number, y: number, points: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Draws the scene at `pixels` × `pixels`, each pixel the average of samples × samples points. */
export function rasterize(scene: Scene, pixels: number, samples = 4): Rgba {
  const scale = scene.size / pixels;
  const background = parseHex(scene.background.fill);
  const polygons = scene.polygons.map((polygon) => {
    const xs = polygon.points.map(([x]) => x);
    const ys = polygon.points.map(([, y]) => y);
    return {
      colour: parseHex(polygon.fill),
      points: polygon.points,
      box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const,
    };
  });
  const data = new Uint8Array(pixels * pixels * 4);
  const perPixel = samples * samples;
  for (let py = 0; py < pixels; py++) {
    for (let px = 0; px < pixels; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          if (!insideRoundedSquare(x, y, scene.size, scene.background.cornerRadius)) continue;
          let colour = background;
          for (const polygon of polygons) {
            const [x0, y0, x1, y1] = polygon.box;
            if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && insidePolygon(x, y, polygon.points)) {
              colour = polygon.colour;
            }
          }
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = (py * pixels + px) * 4;
      if (covered) {
        data[at] = Math.round(r / covered);
        data[at + 1] = Math.round(g / covered);
        data[at + 2] = Math.round(b / covered);
        data[at + 3] = Math.round((255 * covered) / perPixel);
      }
    }
  }
  return { width: pixels, height: pixels, data };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
  const out = Buffer.alloc(typed.length + 8);
  out.writeUInt32BE(body.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), typed.length + 4);
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 8-bit RGBA PNG, no filtering (flat artwork deflates well as it is). */
export function encodePng(image: Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const stride = image.width * 4;
  const raw = Buffer.alloc((stride + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(image.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** An .ico holding PNG images (read by every current browser), smallest first. */
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header[entry] = size >= 256 ? 0 : size; // 0 means 256
    header[entry + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}
