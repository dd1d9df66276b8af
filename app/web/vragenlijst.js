// The questionnaire in the respondent's hands: one question per screen, a way back, thanks,
// and only then, after an explicit confirm, back to the worker. Where the respondent is stays
// on the device (codes and scores only), so a reload or a closed tab carries on with the
// questionnaire and never opens the worker's screens.
import { $, el } from "./dom.js";

const STAND = "wijkcontact.respondent";
const DEFINITIES = "wijkcontact.vragenlijsten";

// From app.js: toon(scherm, focus), klaar(item) queues a filled-in questionnaire,
// terug(gestopt) hands the device back to the worker.
let omgeving = null;

function leesJson(sleutel) {
  try {
    return JSON.parse(localStorage.getItem(sleutel));
  } catch {
    return null;
  }
}

const stand = () => leesJson(STAND);
const bewaar = (s) => localStorage.setItem(STAND, JSON.stringify(s));

/** The questionnaires as last fetched from the service: {schaal, weetNiet, vragenlijsten}. */
export const definities = () => leesJson(DEFINITIES);
export const bewaarDefinities = (d) => localStorage.setItem(DEFINITIES, JSON.stringify(d));

function lijst(code) {
  const d = definities();
  return (d && d.vragenlijsten.find((v) => v.code === code)) || null;
}

/** Is a respondent holding the device (a questionnaire begun and not handed back)? */
export const actief = () => stand() !== null;

/**
 * Hand the device to a respondent. `begin` holds id, vragenlijst, wijk, datum and the
 * worker's account name: the queue sends it as that worker.
 */
export function begin(begin) {
  bewaar({ ...begin, antwoorden: {}, vraag: 0, klaar: false });
  toonHuidig();
}

/** Show where the respondent is; false when no questionnaire is going on. */
export function toonHuidig() {
  const s = stand();
  if (!s) return false;
  if (s.klaar) {
    omgeving.toon("scherm-bedankt", $("bedankt-kop"));
    return true;
  }
  const l = lijst(s.vragenlijst);
  if (!l) {
    // Its definition is gone from the device: there is nothing left to ask.
    localStorage.removeItem(STAND);
    return false;
  }
  toonVraag(s, l);
  return true;
}

function toonVraag(s, l) {
  const { schaal, weetNiet } = definities();
  const vraag = l.vragen[s.vraag];
  const gegeven = Object.hasOwn(s.antwoorden, vraag.code);
  const knop = (waarde, ...inhoud) => {
    const pressed = gegeven && s.antwoorden[vraag.code] === waarde;
    const b = el("button", { type: "button", class: "antwoord", "aria-pressed": String(pressed) }, ...inhoud);
    b.addEventListener("click", () => beantwoord(waarde));
    return b;
  };
  $("vraag-lijst").textContent = l.titel;
  $("vraag-kop").textContent = `Vraag ${s.vraag + 1} van ${l.vragen.length}`;
  $("vraag-tekst").textContent = vraag.tekst;
  $("antwoorden").replaceChildren(
    ...schaal.map((w) =>
      knop(w.waarde, el("span", { class: "score", text: String(w.waarde) }), " ", el("span", { text: w.omschrijving })),
    ),
  );
  $("weet-niet").replaceChildren(knop(null, weetNiet));
  $("vorige-vraag").hidden = s.vraag === 0;
  $("volgende-vraag").hidden = !gegeven;
  omgeving.toon("scherm-vraag", $("vraag-kop"));
}

let bezig = false;

async function beantwoord(waarde) {
  if (bezig) return; // a double tap on the last answer queues it once
  const s = stand();
  const l = s && lijst(s.vragenlijst);
  if (!l || s.klaar) return;
  s.antwoorden[l.vragen[s.vraag].code] = waarde;
  if (s.vraag + 1 < l.vragen.length) {
    s.vraag += 1;
    bewaar(s);
    toonVraag(s, l);
    return;
  }
  bezig = true;
  try {
    const antwoorden = {};
    for (const v of l.vragen) if (Object.hasOwn(s.antwoorden, v.code)) antwoorden[v.code] = s.antwoorden[v.code];
    const body = { id: s.id, wijk: s.wijk, datum: s.datum, antwoorden };
    await omgeving.klaar({ id: s.id, soort: "vragenlijst", code: s.vragenlijst, account: s.account, body });
    // Queued: from here the scores live in the queue only.
    bewaar({ klaar: true });
    omgeving.toon("scherm-bedankt", $("bedankt-kop"));
  } finally {
    bezig = false;
  }
}

function stap(richting) {
  const s = stand();
  const l = s && lijst(s.vragenlijst);
  if (!l || s.klaar) return;
  if (richting > 0) {
    const code = l.vragen[s.vraag].code;
    if (Object.hasOwn(s.antwoorden, code)) beantwoord(s.antwoorden[code]);
    return;
  }
  s.vraag = Math.max(0, s.vraag - 1);
  bewaar(s);
  toonVraag(s, l);
}

function vraagTerug() {
  const s = stand();
  const klaar = !s || s.klaar;
  $("terug-uitleg").textContent = klaar
    ? "Deze knop is voor de preventiewerker. De antwoorden zijn al bewaard."
    : "Deze knop is voor de preventiewerker. De vragenlijst stopt; de antwoorden tot nu toe worden niet bewaard.";
  $("terug-nee").textContent = klaar ? "Nee, blijf hier" : "Nee, verder met de vragen";
  $("terug-dialoog").showModal();
}

function geefTerug() {
  const s = stand();
  $("terug-dialoog").close();
  localStorage.removeItem(STAND);
  omgeving.terug(Boolean(s && !s.klaar));
}

export function installeer(o) {
  omgeving = o;
  $("vorige-vraag").addEventListener("click", () => stap(-1));
  $("volgende-vraag").addEventListener("click", () => stap(1));
  $("vraag-stoppen").addEventListener("click", vraagTerug);
  $("bedankt-terug").addEventListener("click", vraagTerug);
  $("terug-ja").addEventListener("click", geefTerug);
  $("terug-nee").addEventListener("click", () => $("terug-dialoog").close());
}
