// Building the page from data: the form's screens are drawn from the code lists and
// questionnaires the service sends, so the same few DOM steps serve every module.
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...kinderen) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kinderen) if (k !== null && k !== undefined) e.append(k);
  return e;
}
