import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, encodeIco, encodePng, rasterize, type Scene } from "./raster";

const pixel = (image: { width: number; data: Uint8Array }, x: number, y: number) => [
  ...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4),
];

describe("rasterize", () => {
  const scene: Scene = {
    size: 100,
    background: { fill: "#102030", cornerRadius: 50 },
    // The right half, drawn over the background.
    polygons: [
      {
        fill: "#ff8000",
        points: [
          [50, 0],
          [100, 0],
          [100, 100],
          [50, 100],
        ],
      },
    ],
  };

  it("fills the background and the polygons over it, scaled to the pixel size", () => {
    const image = rasterize(scene, 10, 4);
    expect(image).toMatchObject({ width: 10, height: 10 });
    expect(pixel(image, 2, 5)).toEqual([0x10, 0x20, 0x30, 255]);
    expect(pixel(image, 7, 5)).toEqual([0xff, 0x80, 0x00, 255]);
  });

  it("leaves what lies outside the rounded corners transparent, and antialiases the edge", () => {
    const image = rasterize(scene, 10, 4);
    expect(pixel(image, 0, 0)[3]).toBe(0);
    const edge = pixel(image, 1, 1)[3];
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(255);
  });
});

describe("encodePng", () => {
  it("writes a valid RGBA PNG whose pixels inflate back unchanged", () => {
    const data = Uint8Array.from([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    ]);
    const png = encodePng({ width: 3, height: 2, data });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString("ascii", 12, 16)).toBe("IHDR");
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([3, 2, 8, 6]);
    const idatLength = png.readUInt32BE(33);
    expect(png.toString("ascii", 37, 41)).toBe("IDAT");
    const rows = inflateSync(png.subarray(41, 41 + idatLength));
    expect([...rows]).toEqual([0, ...data.subarray(0, 12), 0, ...data.subarray(12)]);
    expect(png.subarray(-12).toString("hex")).toBe("0000000049454e44ae426082");
  });

  it("checksums chunks with the standard CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});

describe("encodeIco", () => {
  it("lists each PNG with its size and where its bytes start", () => {
    const small = encodePng(rasterize({ size: 1, background: { fill: "#000000", cornerRadius: 0 }, polygons: [] }, 16));
    const large = encodePng(rasterize({ size: 1, background: { fill: "#000000", cornerRadius: 0 }, polygons: [] }, 32));
    const ico = encodeIco([
      { size: 16, png: small },
      { size: 256, png: large },
    ]);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 2]);
    expect([ico[6], ico[7], ico.readUInt16LE(12), ico.readUInt32LE(14), ico.readUInt32LE(18)]).toEqual([
      16,
      16,
      32,
      small.length,
      38,
    ]);
    expect([ico[22], ico.readUInt32LE(34)]).toEqual([0, 38 + small.length]);
    expect(ico.subarray(38 + small.length)).toEqual(large);
  });
});
