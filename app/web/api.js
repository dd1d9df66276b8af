// The API client: sign-in session, fetch with the bearer token, problem+json as exceptions.
const SESSIE = "wijkcontact.sessie";

/** The service answered with an error (problem+json): status, detail, invalidParams. */
export class Probleem extends Error {
  constructor(status, body) {
    super((body && body.detail) || `De dienst gaf foutcode ${status}.`);
    this.status = status;
    this.detail = this.message;
    this.invalidParams = (body && body.invalidParams) || [];
  }
}

/** No answer at all: offline, or the service could not be reached. */
export class GeenVerbinding extends Error {}

/** The signed-in worker, or null when there is none or the token has expired. */
export function sessie() {
  let s = null;
  try {
    s = JSON.parse(localStorage.getItem(SESSIE));
  } catch {
    return null;
  }
  if (!s || !s.token || Date.parse(s.verlooptOp) <= Date.now()) return null;
  return s;
}

export function bewaarSessie(s) {
  localStorage.setItem(SESSIE, JSON.stringify(s));
}

export function wisSessie() {
  localStorage.removeItem(SESSIE);
}

export async function api(pad, { method = "GET", json, form, token } = {}) {
  const headers = { Accept: "application/json" };
  const t = token || (sessie() && sessie().token);
  if (t) headers.Authorization = `Bearer ${t}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = new URLSearchParams(form);
  }
  let antwoord;
  try {
    antwoord = await fetch(`/api/v1${pad}`, { method, headers, body, cache: "no-store" });
  } catch {
    throw new GeenVerbinding("Geen verbinding met de dienst.");
  }
  if (antwoord.status === 204) return null;
  let inhoud = null;
  try {
    inhoud = await antwoord.json();
  } catch {
    inhoud = null;
  }
  if (!antwoord.ok) {
    const p = new Probleem(antwoord.status, inhoud);
    p.retryAfter = antwoord.headers.get("Retry-After");
    throw p;
  }
  return inhoud;
}

/** A random (version 4) UUID; also where crypto.randomUUID is missing (plain http). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
