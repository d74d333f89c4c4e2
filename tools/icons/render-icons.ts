// Writes Aisle's icons into public/ from the one mark definition (aisle-mark.ts):
//   favicon.svg   the browser tab icon (root.tsx links it)
//   favicon.ico   16/32/48 px fallback for browsers without SVG favicons and for /favicon.ico requests
//   icon-1200.png the app icon for the Dev Dashboard and the App Store listing: 1200 × 1200, opaque, corners
//                 square (Shopify rounds them when it shows the icon)
// Run: npx tsx tools/icons/render-icons.ts
import { writeFileSync } from "node:fs";
import path from "node:path";
import { BACKGROUND, MARK_POLYGONS, MARK_SIZE, markSvg } from "./aisle-mark";
import { encodeIco, encodePng, rasterize, type Scene } from "./raster";

const favicon: Scene = { size: MARK_SIZE, background: BACKGROUND, polygons: MARK_POLYGONS };
const appIcon: Scene = { ...favicon, background: { ...BACKGROUND, cornerRadius: 0 } };
const publicDir = path.resolve(import.meta.dirname, "../../public");

writeFileSync(path.join(publicDir, "favicon.svg"), markSvg());
writeFileSync(
  path.join(publicDir, "favicon.ico"),
  encodeIco([16, 32, 48].map((size) => ({ size, png: encodePng(rasterize(favicon, size, 16)) }))),
);
writeFileSync(path.join(publicDir, "icon-1200.png"), encodePng(rasterize(appIcon, MARK_SIZE, 3)));
console.log(`icons written to ${publicDir}`);
