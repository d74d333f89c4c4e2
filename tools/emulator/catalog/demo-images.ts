// Product pictures for the demo catalog without any network: a generated SVG per image URL, coloured
// by category, showing the product's name.
import type { Express } from "express";
import { escapeHtml } from "../storefront/theme-pages";

const PALETTE = [
  "#2f5d50",
  "#8a4b2a",
  "#3b5b92",
  "#6b4e8a",
  "#a0522d",
  "#2e6f95",
  "#7a7f3a",
  "#96324a",
  "#44546a",
  "#b07d2b",
];

function hash(text: string): number {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function mountDemoImages(app: Express): void {
  app.get("/demo-images/:category/:file", (req, res) => {
    const name = req.params.file.replace(/\.svg$/, "").replace(/-/g, " ");
    const color = PALETTE[hash(req.params.category) % PALETTE.length];
    const words = name.split(" ");
    const lines = [words.slice(0, 3).join(" "), words.slice(3).join(" ")].filter(Boolean);
    res
      .type("image/svg+xml")
      .set("Cache-Control", "public, max-age=86400")
      .send(
        `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800"><rect width="800" height="800" fill="${color}"/><circle cx="400" cy="330" r="150" fill="#ffffff22"/>${lines
          .map(
            (line, i) =>
              `<text x="400" y="${600 + i * 56}" font-family="system-ui, sans-serif" font-size="44" fill="#fff" text-anchor="middle">${escapeHtml(line)}</text>`,
          )
          .join("")}</svg>`,
      );
  });
}
