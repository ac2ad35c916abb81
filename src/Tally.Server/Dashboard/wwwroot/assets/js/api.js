// The API client: builds query strings in one fixed order and fetches JSON. Nothing here knows about the page.

/** Raised for an answer that is not 2xx: carries the status and the problem's detail. */
export class ApiError extends Error {
  constructor(path, status, detail) {
    super(`${path}: ${status}${detail ? " — " + detail : ""}`);
    this.status = status;
  }
}

/**
 * A query string from `params` in insertion order. null/undefined values are left out; an array is joined with ","
 * (so an empty array is sent as an empty value: `models=` means "no model").
 */
export function query(params) {
  const parts = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) {
      continue;
    }
    const text = Array.isArray(value) ? value.join(",") : String(value);
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`);
  }
  return parts.join("&");
}

/** GETs `path` with `params` and parses the JSON answer. */
export async function getJson(path, params = {}, signal = undefined) {
  const q = query(params);
  const response = await fetch(q ? `${path}?${q}` : path, { headers: { Accept: "application/json" }, signal });
  if (!response.ok) {
    let detail = "";
    try {
      detail = (await response.json()).detail ?? "";
    } catch {
      // not a problem document
    }
    throw new ApiError(path, response.status, detail);
  }
  return response.json();
}

/**
 * GETs an endpoint this server may not have (limits, budgets, alerts arrive with the limits/budgets work) or that may
 * fail on its own: resolves to { data } on success, { missing: true } on 404, { error } otherwise, so one widget's
 * trouble never keeps the rest of the page from rendering.
 */
export async function getOptional(path, params = {}, signal = undefined) {
  try {
    return { data: await getJson(path, params, signal) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return { missing: true };
    }
    return { error: error.message };
  }
}

/** Subscribes to the index's change events; `onChange` is called for each `index` event, `onStatus` with "live"/"offline". */
export function subscribe(onChange, onStatus) {
  const source = new EventSource("/api/events");
  let offline = false;
  source.addEventListener("hello", () => {
    onStatus("live");
    if (offline) {
      onChange(); // back after a break: whatever changed meanwhile
    }
    offline = false;
  });
  source.addEventListener("index", () => {
    onStatus("live");
    onChange();
  });
  source.addEventListener("error", () => {
    offline = true;
    onStatus("offline");
  });
  return source;
}
