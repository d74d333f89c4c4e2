// What a holdout comparison says (decision 113), pure and usable in the browser: conversion (orders per
// exposed visitor) per group, the difference with a 95 % Wald interval, and the visitors per group a test
// needs to tell a difference of the observed size from none (two-sided 5 %, power 80 %).

const Z_95 = 1.959964;
const Z_POWER_80 = 0.841621;

export interface GroupFigures {
  visitors: number;
  orders: number;
}

export interface HoldoutComparison {
  assistant: GroupFigures & { conversion: number | null };
  holdout: GroupFigures & { conversion: number | null };
  /** assistant − holdout conversion, with its 95 % interval; null until both groups have visitors. */
  difference: { estimate: number; low: number; high: number } | null;
  /** Whether the interval excludes 0. */
  significant: boolean;
  /** Visitors per group a test of this difference needs; null when there is no difference to detect yet. */
  neededPerGroup: number | null;
  /** How many more visitors (both groups together) until then; 0 once reached. */
  moreVisitorsNeeded: number | null;
}

const rate = ({ visitors, orders }: GroupFigures) => (visitors > 0 ? Math.min(orders, visitors) / visitors : null);

export function compareGroups(assistant: GroupFigures, holdout: GroupFigures): HoldoutComparison {
  const pa = rate(assistant);
  const ph = rate(holdout);
  let difference: HoldoutComparison["difference"] = null;
  let neededPerGroup: number | null = null;
  if (pa !== null && ph !== null) {
    const estimate = pa - ph;
    const se = Math.sqrt((pa * (1 - pa)) / assistant.visitors + (ph * (1 - ph)) / holdout.visitors);
    difference = { estimate, low: estimate - Z_95 * se, high: estimate + Z_95 * se };
    const variance = pa * (1 - pa) + ph * (1 - ph);
    if (estimate !== 0 && variance > 0)
      neededPerGroup = Math.ceil(((Z_95 + Z_POWER_80) ** 2 * variance) / estimate ** 2);
  }
  const significant = difference !== null && (difference.low > 0 || difference.high < 0);
  const moreVisitorsNeeded =
    neededPerGroup === null
      ? null
      : Math.max(0, neededPerGroup - assistant.visitors) + Math.max(0, neededPerGroup - holdout.visitors);
  return {
    assistant: { ...assistant, conversion: pa },
    holdout: { ...holdout, conversion: ph },
    difference,
    significant,
    neededPerGroup,
    moreVisitorsNeeded,
  };
}
