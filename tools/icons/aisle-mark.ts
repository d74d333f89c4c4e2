// Aisle's mark: two shelving units seen down a shop aisle, with the floor runner leading between
// them to the vanishing point. Defined once as flat shapes so the SVG favicon and the PNG/ICO
// renderings (render-icons.ts) are the same picture. Pure.

export type Point = readonly [number, number];

export interface Polygon {
  fill: string;
  points: Point[];
}

/** The mark's square canvas: Shopify's app icon size, so the 1200 px PNG is drawn 1:1. */
export const MARK_SIZE = 1200;
export const BACKGROUND = { fill: "#0b5d50", cornerRadius: 264 } as const;
const SHELF = "#ddf3ea";
const RUNNER = "#f2b33d";

const VANISHING: Point = [600, 560];
const round = (value: number) => Math.round(value * 10) / 10;

/** The point a fraction `t` of the way from `from` towards the vanishing point. */
const towardVanishing = (from: Point, t: number): Point => [
  round(from[0] + (VANISHING[0] - from[0]) * t),
  round(from[1] + (VANISHING[1] - from[1]) * t),
];

/** One shelving unit: three shelves between its near edge (x = nearX) and its far edge, in perspective. */
function shelvingUnit(nearX: number): Polygon[] {
  const nearTop: Point = [nearX, 200];
  const nearBottom: Point = [nearX, 1000];
  const depth = 0.69;
  const farTop = towardVanishing(nearTop, depth);
  const farBottom = towardVanishing(nearBottom, depth);
  const at = (top: Point, bottom: Point, f: number): Point => [top[0], round(top[1] + (bottom[1] - top[1]) * f)];
  const shelves: [number, number][] = [
    [0, 0.27],
    [0.365, 0.635],
    [0.73, 1],
  ];
  return shelves.map(([from, to]) => ({
    fill: SHELF,
    points: [
      at(nearTop, nearBottom, from),
      at(farTop, farBottom, from),
      at(farTop, farBottom, to),
      at(nearTop, nearBottom, to),
    ],
  }));
}

function runner(): Polygon {
  const nearLeft: Point = [400, 1060];
  const nearRight: Point = [800, 1060];
  const depth = 0.64;
  return {
    fill: RUNNER,
    points: [nearLeft, nearRight, towardVanishing(nearRight, depth), towardVanishing(nearLeft, depth)],
  };
}

/** Drawn in order over the background. */
export const MARK_POLYGONS: readonly Polygon[] = [...shelvingUnit(180), ...shelvingUnit(1020), runner()];

/** The mark as a standalone SVG document (public/favicon.svg). */
export function markSvg(): string {
  const fills = [...new Set(MARK_POLYGONS.map((polygon) => polygon.fill))];
  const paths = fills.map((fill) => {
    const d = MARK_POLYGONS.filter((polygon) => polygon.fill === fill)
      .map((polygon) => `M${polygon.points.map(([x, y]) => `${x} ${y}`).join("L")}Z`)
      .join("");
    return `  <path fill="${fill}" d="${d}"/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MARK_SIZE} ${MARK_SIZE}">`,
    "  <title>Aisle</title>",
    `  <rect width="${MARK_SIZE}" height="${MARK_SIZE}" rx="${BACKGROUND.cornerRadius}" fill="${BACKGROUND.fill}"/>`,
    ...paths,
    "</svg>",
    "",
  ].join("\n");
}
