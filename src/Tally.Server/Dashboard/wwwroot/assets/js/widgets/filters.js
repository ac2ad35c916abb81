// The filter bar: project selector, date-range pills, compare toggle and model chips. Each control calls update();
// main.js refetches on every change.

import { el, replace, byTestId } from "../dom.js";
import { colorFor } from "../colors.js";
import { RANGES, state, update, family, isSelected, toggleModel, soloModel, toggleFamily, canCompare } from "../state.js";

let available = [];

/** Wires the controls once. */
export function init() {
  const select = byTestId("project-select");
  select.addEventListener("change", () => update({ project: select.value }));

  const pills = byTestId("range-pills");
  replace(pills, RANGES.map(([key, label]) =>
    el("button", { type: "button", class: "pill", "data-testid": "range-pill", "data-range": key, onclick: () => {
      update({ range: key, compare: key === "all" ? false : state.compare });
    } }, label)));

  const compare = byTestId("compare-toggle");
  compare.addEventListener("change", () => update({ compare: compare.checked }));
  renderControls();
}

/** Shows the current state on the pills and the toggle. */
export function renderControls() {
  for (const pill of document.querySelectorAll('[data-testid="range-pill"]')) {
    pill.setAttribute("aria-pressed", String(pill.dataset.range === state.range));
  }
  const compare = byTestId("compare-toggle");
  compare.checked = state.compare;
  compare.disabled = !canCompare();
}

/** The project selector's options, from /api/costs/projects without the project filter. */
export function renderProjects(projects) {
  const select = byTestId("project-select");
  const options = [el("option", { value: "", text: "All projects" })];
  const paths = new Set();
  for (const p of projects.projects) {
    paths.add(p.projectPath);
    options.push(el("option", { value: p.projectPath, title: p.projectPath, text: p.project === p.projectPath ? lastFolder(p.projectPath) : p.project }));
  }
  if (state.project && !paths.has(state.project)) {
    // a project with nothing in this range stays selectable (and selected)
    options.push(el("option", { value: state.project, text: lastFolder(state.project) }));
  }
  replace(select, options);
  select.value = state.project;
}

function lastFolder(path) {
  return path.split("/").filter(Boolean).pop() ?? path;
}

const FAMILIES = ["opus", "sonnet", "haiku", "other"];

/** The model chips: every model used under the other filters, by family, in a stable order. */
export function renderModels(models) {
  available = [...models].sort();
  const families = FAMILIES.filter((name) => available.some((m) => family(m) === name));
  const chips = [];
  for (const name of families) {
    const members = available.filter((m) => family(m) === name);
    const on = members.every(isSelected);
    const some = members.some(isSelected);
    chips.push(el("button", {
      type: "button", class: "pill family", "data-testid": "family-pill", "data-family": name,
      "aria-pressed": String(on), "data-partial": String(some && !on), title: `Toggle every ${name} model`,
      onclick: () => update({ models: toggleFamily(name, available) }),
    }, name));
    for (const model of members) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = colorFor(model);
      chips.push(el("button", {
        type: "button", class: "chip model", "data-testid": "model-chip", "data-model": model, "aria-pressed": String(isSelected(model)),
        title: "Click to toggle; Alt- or Shift-click to show only this model",
        onclick: (event) => update({ models: event.altKey || event.shiftKey ? soloModel(model) : toggleModel(model, available) }),
      }, swatch, model));
    }
  }
  const none = state.models !== null && state.models.length === 0;
  chips.push(el("button", { type: "button", class: "link", "data-testid": "models-reset", disabled: state.models === null, onclick: () => update({ models: null }) }, "Reset"));
  if (none) {
    chips.push(el("span", { class: "hint", "data-testid": "no-models", text: "No model selected: nothing is counted." }));
  }
  replace(byTestId("model-chips"), chips);
}
