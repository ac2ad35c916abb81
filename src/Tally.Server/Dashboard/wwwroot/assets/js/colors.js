// One colour per model, the same in the chart, the legend, the breakdown and the chips. Mid-tone colours that read on
// both the light and the dark background.

const PALETTE = [
  "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#8cd17d",
  "#a0cbe8", "#ffbe7d", "#d37295", "#499894", "#f1ce63", "#bab0ac", "#86bcb6", "#d4a6c8", "#b6992d", "#79706e",
];
const assigned = new Map();

/** Gives colours to `models` (dearest first) that have none yet. */
export function assign(models) {
  for (const model of models) {
    if (!assigned.has(model)) {
      const n = assigned.size;
      // past the palette, hues a golden angle apart keep neighbours distinct
      assigned.set(model, n < PALETTE.length ? PALETTE[n] : `hsl(${Math.round((n * 137.508) % 360)} 55% 55%)`);
    }
  }
}

/** The model's colour. */
export function colorFor(model) {
  assign([model]);
  return assigned.get(model);
}
