// The mobile form: sign in, register a contact, follow up from the worklist, work offline.
import { api, bewaarSessie, GeenVerbinding, Probleem, sessie, uuid, wisSessie } from "./api.js";
import { $, el } from "./dom.js";
import * as vragenlijst from "./vragenlijst.js";
import * as wachtrij from "./wachtrij.js";

const MAX_GESPREKKEN = 5;
const OPSLAG = {
  lijsten: "wijkcontact.codelijsten",
  wijken: "wijkcontact.wijken",
  werklijst: "wijkcontact.werklijst",
  verstuurd: "wijkcontact.verstuurd",
  wijk: "wijkcontact.laatsteWijk",
};

let lijsten = null; // codelijsten: {vraagtypen: [{code, omschrijving}], ...}
let wijken = []; // [{code, naam, ...}]
let huidig = null; // the traject of a follow-up, or null for a new contact

// ---------- small helpers ----------

function lees(sleutel) {
  try {
    return JSON.parse(localStorage.getItem(sleutel));
  } catch {
    return null;
  }
}
const schrijf = (sleutel, waarde) => localStorage.setItem(sleutel, JSON.stringify(waarde));

function vandaag() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// The native date field follows the browser's language (mm/dd/yyyy in an English browser),
// not <html lang>: so every date the form shows is also written out in Dutch. The ISO date is
// read as UTC and formatted in UTC, so no time zone can shift it by a day.
const NL = Intl.DateTimeFormat.supportedLocalesOf("nl-NL").length > 0;
const DATUM_KORT = new Intl.DateTimeFormat("nl-NL", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" });
const DATUM_LANG = new Intl.DateTimeFormat("nl-NL", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" });

/** "2025-03-14" as "vr 14 mrt 2025" (lang: "vrijdag 14 maart 2025"); "" for no date. */
function datumNl(iso, lang = false) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!m) return "";
  if (!NL) return `${m[3]}-${m[2]}-${m[1]}`;
  return (lang ? DATUM_LANG : DATUM_KORT).format(new Date(Date.UTC(+m[1], m[2] - 1, +m[3])));
}

/** The date of a traject's last gesprek: a worklist item has it, a full traject lists them. */
function laatsteDatum(t) {
  const gesprekken = t.gesprekken || [];
  return t.laatsteGesprekDatum || (gesprekken.length ? gesprekken[gesprekken.length - 1].datum : null);
}

/** The chosen date in words under the date field (its accessible description). */
function toonDatumTekst() {
  const iso = $("datum").value;
  const tekst = datumNl(iso, true);
  $("datum-tekst").textContent = tekst && iso === vandaag() ? `${tekst} (vandaag)` : tekst;
}

function omschrijving(lijst, code) {
  const item = lijsten && (lijsten[lijst] || []).find((x) => x.code === code);
  return item ? item.omschrijving : code;
}
function wijknaam(code) {
  const w = wijken.find((x) => x.code === code);
  return w ? w.naam : code;
}

function meld(tekst) {
  $("verbinding").textContent = tekst;
}

// ---------- screens ----------

const RESPONDENT = ["scherm-vraag", "scherm-bedankt"];
const SCHERMEN = [
  "scherm-inloggen",
  "scherm-kwartiermaker",
  "scherm-vervolg",
  "scherm-registratie",
  "scherm-klaar",
  "scherm-vragenlijsten",
  ...RESPONDENT,
];
const MENU = { "scherm-vervolg": "naar-vervolg", "scherm-vragenlijsten": "naar-vragenlijst" };

function toon(scherm, focus) {
  const voorRespondent = RESPONDENT.includes(scherm);
  // While a respondent holds the device nothing else opens (not a notice that the session
  // expired either): only handing it back, in vragenlijst.js, ends that.
  if (vragenlijst.actief() && !voorRespondent) return;
  document.body.classList.toggle("respondent", voorRespondent);
  for (const s of SCHERMEN) $(s).hidden = s !== scherm;
  const ingelogd = scherm !== "scherm-inloggen" && !voorRespondent;
  $("menu").hidden = !ingelogd;
  $("uitloggen").hidden = !ingelogd;
  $("wie").hidden = !ingelogd;
  // The kwartiermaker registers nothing: the menu holds only the way to the jaarverslag.
  const kwartiermaker = isKwartiermaker();
  for (const id of ["naar-nieuw", "naar-vervolg", "naar-vragenlijst"]) $(id).hidden = kwartiermaker;
  $("naar-jaarverslag").hidden = !kwartiermaker;
  const actief = MENU[scherm] || (scherm === "scherm-registratie" && !huidig ? "naar-nieuw" : null);
  for (const id of ["naar-nieuw", "naar-vervolg", "naar-vragenlijst"]) {
    if (id === actief) $(id).setAttribute("aria-current", "page");
    else $(id).removeAttribute("aria-current");
  }
  if (focus) focus.focus();
}

const KWARTIERMAKER = "kwartiermaker";
const isKwartiermaker = () => sessie()?.rol === KWARTIERMAKER;

function toonInloggen(uitleg) {
  const s = lees("wijkcontact.sessieNaam");
  if (s && !$("naam").value) $("naam").value = s;
  $("inloggen-uitleg").hidden = !uitleg;
  $("inloggen-uitleg").textContent = uitleg || "";
  toon("scherm-inloggen");
}

// ---------- the chip groups ----------

function chipgroep(naam, legenda, items, { meerdere = false, prefix = "" } = {}) {
  const foutId = `${prefix}fout-${naam}`;
  const set = el("fieldset", { class: "chips", id: `${prefix}veld-${naam}`, "aria-describedby": foutId });
  set.append(el("legend", { text: legenda }));
  const groep = el("div", { class: "chip-rij" });
  for (const item of items) {
    if (item.kop) {
      groep.append(el("p", { class: "subkop", text: item.kop }));
      continue;
    }
    const id = `${prefix}${naam}-${item.code}`;
    groep.append(
      el(
        "div",
        { class: "chip" },
        el("input", { type: meerdere ? "checkbox" : "radio", name: naam, value: item.code, id }),
        el("label", { for: id, text: item.omschrijving }),
      ),
    );
  }
  set.append(groep, el("p", { class: "fout", id: foutId }));
  return set;
}

function doelItems() {
  const doelen = lijsten.overdrachtdoelen || [];
  const voorliggend = doelen.filter((d) => d.niveau !== "gespecialiseerd");
  const gespecialiseerd = doelen.filter((d) => d.niveau === "gespecialiseerd");
  return [
    { kop: "In de sociale basis" },
    ...voorliggend,
    { kop: "Gespecialiseerd" },
    ...gespecialiseerd,
  ];
}

function bouwFormulier() {
  const traject = $("trajectvelden");
  const gesprek = $("gesprekvelden");
  traject.replaceChildren();
  gesprek.replaceChildren();
  const eigen = (sessie() && sessie().wijken) || [];
  if (eigen.length > 1) {
    traject.append(
      chipgroep(
        "wijk",
        "Wijk",
        eigen.map((code) => ({ code, omschrijving: wijknaam(code) })),
      ),
    );
  } else {
    traject.append(el("p", { class: "vast", id: "vaste-wijk", text: `Wijk: ${wijknaam(eigen[0])}` }));
  }
  traject.append(
    chipgroep("leeftijdsgroep", "Leeftijd", lijsten.leeftijdsgroepen),
    chipgroep("instroomroute", "Hoe kwam het contact tot stand?", lijsten.instroomroutes),
  );
  gesprek.append(
    chipgroep("locatie", "Waar was het gesprek?", lijsten.locaties),
    chipgroep("vraagtypen", "Soort vraag (één of meer)", lijsten.vraagtypen, { meerdere: true }),
    chipgroep("afhandeling", "Hoe is de vraag opgepakt?", lijsten.afhandelingen),
  );
  const doel = chipgroep("doel", "Warme overdracht naar", doelItems());
  doel.hidden = true;
  gesprek.append(doel);
  $("overdracht-doel").replaceChildren(chipgroep("doel", "Warme overdracht naar", doelItems(), { prefix: "o-" }));
}

function gekozen(form, naam) {
  return form.querySelector(`input[name="${naam}"]:checked`)?.value || null;
}

function resetRegistratie() {
  const form = $("registratie");
  form.reset();
  $("datum").value = vandaag();
  $("datum").max = vandaag();
  $("datum").min = (huidig && laatsteDatum(huidig)) || "";
  toonDatumTekst();
  const eigen = (sessie() && sessie().wijken) || [];
  const laatste = lees(OPSLAG.wijk);
  const wijk = eigen.includes(laatste) ? laatste : eigen[0];
  const radio = form.querySelector(`input[name="wijk"][value="${wijk}"]`);
  if (radio) radio.checked = true;
  $("veld-doel").hidden = true;
  wisFouten(form);
}

// ---------- errors next to their field ----------

function wisFouten(form) {
  for (const p of form.querySelectorAll(".fout")) p.textContent = "";
  for (const f of form.querySelectorAll(".heeft-fout")) f.classList.remove("heeft-fout");
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
}

/** Map an invalidParams name (e.g. "gesprek.vraagtypen[1]") to the field of this form. */
function veldVan(naam) {
  const delen = naam.replace(/^gesprek\./, "").replace(/\[\d+\]/g, "").split(".");
  if (delen[0] === "overdracht") return "doel";
  return delen[0];
}

function toonFouten(form, fouten, algemeen, prefix = "") {
  wisFouten(form);
  let eerste = null;
  const rest = [];
  for (const { name, reason } of fouten) {
    const veld = veldVan(name);
    const p = form.querySelector(`#${prefix}fout-${veld}`);
    if (!p) {
      rest.push(reason);
      continue;
    }
    p.textContent = p.textContent ? `${p.textContent} ${reason}` : reason;
    const houder = form.querySelector(`#${prefix}veld-${veld}`);
    if (houder) houder.classList.add("heeft-fout");
    const invoer = veld === "datum" ? $("datum") : form.querySelector(`input[name="${veld}"]`);
    if (veld === "datum") invoer.setAttribute("aria-invalid", "true");
    eerste = eerste || invoer;
  }
  const melding = [algemeen, ...rest].filter(Boolean).join(" ");
  const algemeenP = form.querySelector(".fout[role=alert]");
  if (algemeenP) algemeenP.textContent = melding;
  if (eerste) eerste.focus();
}

// ---------- the registration form ----------

function controleer(form, nieuw) {
  const fouten = [];
  const verplicht = (naam, reden) => {
    if (!gekozen(form, naam)) fouten.push({ name: naam, reason: reden });
  };
  if (!$("datum").value) fouten.push({ name: "datum", reason: "Vul de datum in." });
  else if ($("datum").value > vandaag())
    fouten.push({ name: "datum", reason: "De datum ligt in de toekomst." });
  else if (!nieuw && $("datum").min && $("datum").value < $("datum").min)
    fouten.push({ name: "datum", reason: `De datum ligt vóór het vorige gesprek (${datumNl($("datum").min)}).` });
  if (nieuw) {
    if (form.querySelector('input[name="wijk"]')) verplicht("wijk", "Kies de wijk.");
    verplicht("leeftijdsgroep", "Kies een leeftijd.");
    verplicht("instroomroute", "Kies hoe het contact tot stand kwam.");
  }
  verplicht("locatie", "Kies waar het gesprek was.");
  verplicht("vraagtypen", "Kies minstens één soort vraag.");
  verplicht("afhandeling", "Kies hoe de vraag is opgepakt.");
  if (gekozen(form, "afhandeling") === "warme_overdracht")
    verplicht("doel", "Kies naar wie de inwoner is overgedragen.");
  return fouten;
}

function gesprekBody(form) {
  const body = {
    id: uuid(),
    datum: $("datum").value,
    locatie: gekozen(form, "locatie"),
    vraagtypen: [...form.querySelectorAll('input[name="vraagtypen"]:checked')].map((i) => i.value),
    afhandeling: gekozen(form, "afhandeling"),
  };
  if (body.afhandeling === "warme_overdracht")
    body.overdracht = { doel: gekozen(form, "doel"), warm: true, status: "aangemeld" };
  return body;
}

async function registreer(event) {
  event.preventDefault();
  const form = $("registratie");
  const nieuw = !huidig;
  const fouten = controleer(form, nieuw);
  if (fouten.length) {
    toonFouten(form, fouten, "Nog niet alles is ingevuld.");
    return;
  }
  const s = sessie();
  const gesprek = gesprekBody(form);
  let item;
  if (nieuw) {
    const wijk = gekozen(form, "wijk") || s.wijken[0];
    schrijf(OPSLAG.wijk, wijk);
    const body = {
      id: uuid(),
      wijk,
      leeftijdsgroep: gekozen(form, "leeftijdsgroep"),
      instroomroute: gekozen(form, "instroomroute"),
      gesprek,
    };
    item = { id: body.id, soort: "traject", body };
  } else {
    item = { id: gesprek.id, soort: "gesprek", code: huidig.code, body: gesprek };
  }
  await verstuurNu(item, form);
}

async function legOverdrachtVast(event) {
  event.preventDefault();
  const form = $("overdracht");
  const doel = gekozen(form, "doel");
  if (!doel) {
    toonFouten(form, [{ name: "doel", reason: "Kies naar wie de inwoner is overgedragen." }], "", "o-");
    return;
  }
  const body = { doel, warm: true, status: "aangemeld" };
  await verstuurNu({ id: uuid(), soort: "overdracht", code: huidig.code, body }, form, "o-");
}

/**
 * Every registration goes into the queue first, then is sent: a closed tab or a lost
 * connection halfway never loses it, and a retry uses the same client id (no double count).
 */
async function verstuurNu(basis, form, prefix = "") {
  const s = sessie();
  if (!s) {
    toonInloggen("Uw sessie is verlopen. Log opnieuw in; er is nog niets opgeslagen.");
    return;
  }
  const item = { ...basis, account: s.naam, aangemaakt: Date.now(), status: "wacht", samenvatting: samenvatting(basis) };
  await wachtrij.zet(item);
  const knop = form.querySelector('button[type="submit"]');
  knop.disabled = true;
  try {
    const traject = await stuur(item);
    await wachtrij.weg(item.id);
    werkWerklijstBij(traject);
    toonKlaar(item, traject);
  } catch (fout) {
    if (fout instanceof Probleem && ![401, 429].includes(fout.status) && fout.status < 500) {
      // Refused by the service: nothing was stored; show why, next to the fields.
      await wachtrij.weg(item.id);
      toonFouten(form, fout.invalidParams, fout.detail, prefix);
    } else {
      boekLokaal(item);
      toonKlaar(item, null, fout);
      if (fout instanceof Probleem && fout.status === 401) sessieVerlopen();
      else await planHerhaling();
    }
  } finally {
    knop.disabled = false;
    await toonWachtrij();
  }
}

function stuur(item) {
  if (item.soort === "vragenlijst")
    return api(`/vragenlijsten/${encodeURIComponent(item.code)}/antwoorden`, { method: "POST", json: item.body });
  if (item.soort === "traject") return api("/trajecten", { method: "POST", json: item.body });
  const pad = `/trajecten/${encodeURIComponent(item.code)}`;
  if (item.soort === "gesprek") return api(`${pad}/gesprekken`, { method: "POST", json: item.body });
  return api(`${pad}/overdracht`, { method: "PUT", json: item.body });
}

function samenvatting(item) {
  const b = item.body;
  if (item.soort === "vragenlijst") {
    const l = (vragenlijst.definities()?.vragenlijsten || []).find((v) => v.code === item.code);
    return `Vragenlijst ${l ? l.titel : item.code}, ${wijknaam(b.wijk)}, ${datumNl(b.datum)}`;
  }
  if (item.soort === "traject")
    return `Nieuw contact, ${wijknaam(b.wijk)}, ${omschrijving("leeftijdsgroepen", b.leeftijdsgroep)}, ${datumNl(b.gesprek.datum)}`;
  if (item.soort === "gesprek") return `Vervolggesprek in traject ${item.code}, ${datumNl(b.datum)}`;
  return `Warme overdracht van traject ${item.code}`;
}

function toonKlaar(item, traject, fout) {
  const tekst = $("klaar-tekst");
  tekst.replaceChildren();
  $("klaar-kop").textContent = traject ? "Geregistreerd" : "Bewaard op dit toestel";
  if (!traject) {
    const reden =
      fout instanceof Probleem && fout.status === 401
        ? "Uw sessie is verlopen. Log opnieuw in; daarna wordt het verstuurd."
        : fout instanceof Probleem
          ? "De dienst is even niet beschikbaar. Het wordt later vanzelf verstuurd."
          : "Er is geen verbinding. Het wordt verstuurd zodra er weer verbinding is.";
    tekst.append(
      el("p", { class: "let-op", text: "Nog niet verstuurd." }),
      el("p", { text: reden }),
    );
    if (item.soort === "traject")
      tekst.append(el("p", { text: "De trajectcode verschijnt na het versturen onder ‘Verstuurd vanaf dit toestel’." }));
  } else {
    tekst.append(...trajectUitleg(traject, item.soort));
  }
  const datum = item.soort === "traject" ? item.body.gesprek.datum : item.soort === "gesprek" ? item.body.datum : null;
  if (datum) tekst.append(el("p", { text: `Gesprek van ${datumNl(datum, true)}` }));
  if (huidig && traject) huidig = traject;
  $("naar-werklijst").textContent =
    traject && traject.status === "open" && traject.overdrachtVereist
      ? "Warme overdracht vastleggen"
      : "Naar vervolggesprekken";
  toon("scherm-klaar", $("klaar-kop"));
}

function trajectUitleg(t, soort) {
  const delen = [];
  if (soort === "traject") {
    delen.push(
      el("p", { class: "code-groot" }, "Trajectcode ", el("strong", { text: t.code })),
      el("p", { text: "Noteer deze code in uw agenda: die hebt u nodig voor een vervolggesprek." }),
    );
  } else {
    delen.push(el("p", { class: "code-klein" }, "Traject ", el("strong", { text: t.code })));
  }
  if (t.status === "overgedragen") {
    delen.push(el("p", { text: "Het traject is warm overgedragen en daarmee gesloten." }));
    return delen;
  }
  if (t.status === "afgerond") {
    delen.push(el("p", { text: "Het traject is afgerond." }));
    return delen;
  }
  delen.push(el("p", { class: "teller", text: `${t.aantalGesprekken} van ${MAX_GESPREKKEN} gesprekken` }));
  if (t.overdrachtVereist)
    delen.push(el("p", { class: "let-op", text: "Dit was het vijfde gesprek. Er kan geen gesprek meer bij: leg de warme overdracht vast." }));
  else if (t.resterendeGesprekken === 1)
    delen.push(el("p", { class: "let-op", text: "Nog één gesprek mogelijk. Daarna is een warme overdracht nodig." }));
  return delen;
}

// ---------- the queue ----------

let bezig = null;
let herhaling = null;
// The 'online' event does not always come, and a connection can be back before the service is
// reachable: while items wait, try again by itself this long after the last attempt.
const OPNIEUW_NA_MS = 10000;

/** Send every waiting item of the signed-in account, oldest first; safe to call any time. */
function verstuurWachtrij(stil = false) {
  if (!bezig) bezig = verstuurAlles(stil).finally(() => (bezig = null));
  return bezig;
}

async function planHerhaling() {
  clearTimeout(herhaling);
  const wacht = (await wachtrij.alle()).some((i) => i.status === "wacht");
  if (wacht && sessie()) herhaling = setTimeout(() => verstuurWachtrij(true), OPNIEUW_NA_MS);
}

async function verstuurAlles(stil) {
  try {
    await verstuurWachtrijItems(stil);
  } finally {
    await planHerhaling();
  }
}

async function verstuurWachtrijItems(stil) {
  const s = sessie();
  const items = (await wachtrij.alle()).filter((i) => i.status === "wacht");
  if (!items.length) return;
  if (!s) {
    await toonWachtrij();
    return;
  }
  let verstuurd = 0;
  for (const item of items.filter((i) => i.account === s.naam)) {
    try {
      const traject = await stuur(item);
      if (item.soort !== "vragenlijst") {
        // The code is recorded before the item leaves the queue: a page closed in between
        // sends it again (the same id answers the same traject), and it is still listed once.
        const lijst = (lees(OPSLAG.verstuurd) || []).filter((v) => v.id !== item.id);
        lijst.unshift({ id: item.id, code: traject.code, soort: item.soort, aantal: traject.aantalGesprekken, status: traject.status });
        schrijf(OPSLAG.verstuurd, lijst.slice(0, 20));
        werkWerklijstBij(traject);
      }
      await wachtrij.weg(item.id);
      verstuurd += 1;
    } catch (fout) {
      if (fout instanceof GeenVerbinding) {
        if (!stil) meld("Nog geen verbinding. De registraties blijven bewaard en gaan later vanzelf weg.");
        break;
      }
      if (fout.status === 401) {
        sessieVerlopen();
        break;
      }
      if (fout.status === 429 || fout.status >= 500) break;
      const redenen = fout.invalidParams.map((p) => p.reason);
      await wachtrij.zet({ ...item, status: "geweigerd", fout: [fout.detail, ...redenen].join(" ") });
    }
  }
  if (verstuurd) meld(verstuurd === 1 ? "1 registratie verstuurd." : `${verstuurd} registraties verstuurd.`);
  await toonWachtrij();
  if (verstuurd && !$("scherm-vervolg").hidden) vernieuwWerklijst();
}

async function toonWachtrij() {
  const items = await wachtrij.alle();
  const s = sessie();
  const lijst = $("wachtrij-lijst");
  lijst.replaceChildren();
  for (const item of items) {
    const li = el("li", {}, el("span", { text: item.samenvatting }));
    if (item.status === "geweigerd") {
      const knop = el("button", { type: "button", class: "knop-link", text: "Verwijderen" });
      knop.addEventListener("click", async () => {
        await wachtrij.weg(item.id);
        await toonWachtrij();
      });
      li.append(el("span", { class: "fout", text: ` Niet geaccepteerd: ${item.fout}` }), " ", knop);
    } else if (s && item.account !== s.naam) {
      li.append(el("span", { class: "status", text: ` Van account ${item.account}: log als die in om te versturen.` }));
    } else {
      li.append(el("span", { class: "status", text: " (nog niet verstuurd)" }));
    }
    lijst.append(li);
  }
  $("wachtrij").hidden = items.length === 0;
  $("wachtrij-kop").textContent = items.length === 1 ? "1 registratie nog niet verstuurd" : `${items.length} registraties nog niet verstuurd`;
  $("nu-versturen").hidden = !s || !items.some((i) => i.status === "wacht" && i.account === s.naam);

  const verstuurd = lees(OPSLAG.verstuurd) || [];
  $("verstuurd").hidden = verstuurd.length === 0 || !s;
  $("verstuurd-lijst").replaceChildren(
    ...verstuurd.map((v) =>
      el(
        "li",
        {},
        v.soort === "traject" ? "Nieuw traject " : v.soort === "gesprek" ? "Vervolggesprek in traject " : "Overdracht van traject ",
        el("strong", { class: "code", text: v.code }),
        v.status === "open" ? ` (${v.aantal} van ${MAX_GESPREKKEN} gesprekken)` : "",
      ),
    ),
  );
  if (s && items.length && !navigator.onLine) meld("Geen verbinding. Registraties worden op dit toestel bewaard.");
}

function sessieVerlopen() {
  wisSessie();
  toonInloggen("Uw sessie is verlopen. Log opnieuw in; wat nog niet verstuurd is blijft bewaard en wordt daarna verstuurd.");
  toonWachtrij();
}

// ---------- worklist and follow-up ----------

function werkWerklijstBij(t) {
  if (!t || !t.code) return;
  const lijst = (lees(OPSLAG.werklijst) || []).filter((x) => x.code !== t.code);
  if (t.status === "open") {
    const laatste = t.gesprekken && t.gesprekken[t.gesprekken.length - 1];
    lijst.unshift({
      code: t.code,
      wijk: t.wijk,
      leeftijdsgroep: t.leeftijdsgroep,
      status: t.status,
      aantalGesprekken: t.aantalGesprekken,
      resterendeGesprekken: t.resterendeGesprekken,
      overdrachtVereist: t.overdrachtVereist,
      laatsteGesprekDatum: laatste ? laatste.datum : null,
      vraagtypen: laatste ? laatste.vraagtypen : [],
    });
  }
  schrijf(OPSLAG.werklijst, lijst);
}

/** Offline: bring the cached worklist in line with what is queued, so the limit stays honest. */
function boekLokaal(item) {
  if (item.soort === "traject") return;
  const lijst = lees(OPSLAG.werklijst) || [];
  const t = lijst.find((x) => x.code === item.code);
  if (!t) return;
  if (item.soort === "overdracht" || item.body.afhandeling === "warme_overdracht") {
    schrijf(OPSLAG.werklijst, lijst.filter((x) => x !== t));
    return;
  }
  t.aantalGesprekken += 1;
  t.resterendeGesprekken = Math.max(0, MAX_GESPREKKEN - t.aantalGesprekken);
  t.overdrachtVereist = t.aantalGesprekken >= MAX_GESPREKKEN;
  t.laatsteGesprekDatum = item.body.datum;
  schrijf(OPSLAG.werklijst, lijst);
}

function toonWerklijst(items) {
  const gesorteerd = [...items].sort((a, b) => Number(b.overdrachtVereist) - Number(a.overdrachtVereist));
  $("werklijst").replaceChildren(
    ...gesorteerd.map((t) => {
      const knop = el(
        "button",
        { type: "button", class: t.overdrachtVereist ? "traject vereist" : "traject" },
        el("span", { class: "code", text: t.code }),
        t.overdrachtVereist
          ? el("span", { class: "label", text: "Warme overdracht nodig" })
          : t.resterendeGesprekken === 1
            ? el("span", { class: "label", text: "Nog één gesprek mogelijk" })
            : null,
        el("span", { text: `${wijknaam(t.wijk)} · ${omschrijving("leeftijdsgroepen", t.leeftijdsgroep)}` }),
        el("span", { text: (t.vraagtypen || []).map((v) => omschrijving("vraagtypen", v)).join(", ") }),
        el("span", {
          text: `Laatste gesprek ${datumNl(t.laatsteGesprekDatum)} · ${t.aantalGesprekken} van ${MAX_GESPREKKEN} gesprekken`,
        }),
      );
      knop.addEventListener("click", () => openTraject(t));
      return el("li", {}, knop);
    }),
  );
  $("werklijst-stand").textContent = items.length
    ? `${items.length} open ${items.length === 1 ? "traject" : "trajecten"}.`
    : "Geen open trajecten.";
}

async function vernieuwWerklijst() {
  const bewaard = lees(OPSLAG.werklijst);
  if (bewaard) toonWerklijst(bewaard);
  try {
    const antwoord = await api("/trajecten?status=open&paginaGrootte=50");
    schrijf(OPSLAG.werklijst, antwoord.items);
    toonWerklijst(antwoord.items);
  } catch (fout) {
    if (fout instanceof Probleem && fout.status === 401) return sessieVerlopen();
    $("werklijst-stand").textContent = bewaard
      ? "Geen verbinding: dit is de lijst van het laatste contact met de dienst."
      : "Geen verbinding: de lijst komt zodra er verbinding is.";
  }
}

async function zoekCode(event) {
  event.preventDefault();
  const code = $("code").value.trim().toUpperCase();
  $("code-fout").textContent = "";
  $("code").removeAttribute("aria-invalid");
  if (!code) {
    $("code-fout").textContent = "Vul een trajectcode in.";
    $("code").setAttribute("aria-invalid", "true");
    $("code").focus();
    return;
  }
  try {
    openTraject(await api(`/trajecten/${encodeURIComponent(code)}`));
  } catch (fout) {
    const bekend = (lees(OPSLAG.werklijst) || []).find((t) => t.code === code);
    if (fout instanceof GeenVerbinding && bekend) return openTraject(bekend);
    if (fout instanceof Probleem && fout.status === 401) return sessieVerlopen();
    $("code-fout").textContent =
      fout instanceof GeenVerbinding
        ? "Geen verbinding, en deze code staat niet in de bewaarde lijst. Probeer het als er weer verbinding is."
        : fout.status === 404
          ? "Geen traject met deze code gevonden. Controleer de code."
          : fout.detail;
    $("code").setAttribute("aria-invalid", "true");
    $("code").focus();
  }
}

function openTraject(t) {
  huidig = t;
  resetRegistratie();
  $("registratie-kop").textContent = `Vervolggesprek traject ${t.code}`;
  $("trajectvelden").hidden = true;
  const info = $("traject-info");
  info.hidden = false;
  const volgende = t.aantalGesprekken + 1;
  const regels = [
    el("p", { class: "teller", text: `${t.aantalGesprekken} van ${MAX_GESPREKKEN} gesprekken gevoerd` }),
    el("p", { text: `${wijknaam(t.wijk)} · ${omschrijving("leeftijdsgroepen", t.leeftijdsgroep)}` }),
  ];
  const vorige = laatsteDatum(t);
  if (vorige) regels.push(el("p", { text: `Vorig gesprek ${datumNl(vorige)}` }));
  const open = t.status === "open";
  const vol = t.aantalGesprekken >= MAX_GESPREKKEN;
  if (!open) regels.push(el("p", { class: "let-op", text: "Dit traject is afgesloten; er kan niets meer bij. Komt de inwoner terug met een nieuwe vraag, begin dan een nieuw contact." }));
  else if (vol)
    regels.push(el("p", { class: "let-op", text: "Dit traject heeft vijf gesprekken; er kan geen gesprek meer bij. Leg hieronder de warme overdracht vast, of rond af als de vraag is opgelost." }));
  else if (volgende === MAX_GESPREKKEN)
    regels.push(el("p", { class: "let-op", text: "Dit wordt het laatste gesprek (5 van 5). Heeft de inwoner daarna nog iets nodig, kies dan een warme overdracht." }));
  else regels.push(el("p", { text: `Dit wordt gesprek ${volgende}; daarna nog ${MAX_GESPREKKEN - volgende} mogelijk.` }));
  info.replaceChildren(...regels);
  $("registratie").hidden = !open || vol;
  $("limiet").hidden = !(open && vol);
  $("afronden-blok").hidden = !open;
  delete $("afronden").dataset.bevestig;
  $("afronden").textContent = "Traject afronden: vraag is opgelost";
  $("overdracht").reset();
  wisFouten($("overdracht"));
  toon("scherm-registratie", $("registratie-kop"));
}

function nieuwContact() {
  huidig = null;
  resetRegistratie();
  $("registratie-kop").textContent = "Nieuw contact";
  $("trajectvelden").hidden = false;
  $("traject-info").hidden = true;
  $("registratie").hidden = false;
  $("limiet").hidden = true;
  $("afronden-blok").hidden = true;
  toon("scherm-registratie");
}

async function rondAf() {
  const t = huidig;
  const knop = $("afronden");
  // Closing cannot be undone: the first tap asks, the second one closes.
  if (!knop.dataset.bevestig) {
    knop.dataset.bevestig = "1";
    knop.textContent = "Zeker weten? Tik nogmaals om het traject af te ronden";
    return;
  }
  try {
    const traject = await api(`/trajecten/${encodeURIComponent(t.code)}/afsluiting`, { method: "POST", json: {} });
    werkWerklijstBij(traject);
    toonKlaar({ soort: "afsluiting" }, traject);
  } catch (fout) {
    if (fout instanceof Probleem && fout.status === 401) return sessieVerlopen();
    $("registratie-fout").textContent =
      fout instanceof GeenVerbinding ? "Afronden kan alleen met verbinding. Probeer het straks opnieuw." : fout.detail;
    if (!$("registratie").hidden) $("registratie-fout").focus();
  }
}

// ---------- the questionnaire: the worker's side ----------

function bouwVragenlijstKeuze() {
  const velden = $("vragenlijst-velden");
  const d = vragenlijst.definities();
  $("vragenlijst-starten").hidden = !d;
  if (!d) {
    velden.replaceChildren(
      el("p", { class: "let-op", text: "De vragenlijsten staan nog niet op dit toestel. Ze komen zodra er verbinding is." }),
    );
    return;
  }
  const keuzes = d.vragenlijsten.map((v) => ({ code: v.code, omschrijving: v.titel }));
  velden.replaceChildren(chipgroep("vragenlijst", "Welke vragenlijst?", keuzes, { prefix: "v-" }));
  const eigen = (sessie() && sessie().wijken) || [];
  if (eigen.length > 1) {
    velden.append(chipgroep("wijk", "Wijk", eigen.map((code) => ({ code, omschrijving: wijknaam(code) })), { prefix: "v-" }));
    const laatste = lees(OPSLAG.wijk);
    const radio = velden.querySelector(`input[name="wijk"][value="${eigen.includes(laatste) ? laatste : eigen[0]}"]`);
    if (radio) radio.checked = true;
  } else {
    velden.append(el("p", { class: "vast", text: `Wijk: ${wijknaam(eigen[0])}` }));
  }
}

function toonVragenlijstKeuze(gedaan) {
  huidig = null;
  $("vragenlijst-gedaan").textContent = gedaan;
  wisFouten($("vragenlijst-kiezen"));
  toon("scherm-vragenlijsten", gedaan ? $("vragenlijsten-kop") : null);
}

function startVragenlijst(event) {
  event.preventDefault();
  const form = $("vragenlijst-kiezen");
  const s = sessie();
  if (!s) return sessieVerlopen();
  const code = gekozen(form, "vragenlijst");
  const wijk = s.wijken.length > 1 ? gekozen(form, "wijk") : s.wijken[0];
  const fouten = [];
  if (!code) fouten.push({ name: "vragenlijst", reason: "Kies een vragenlijst." });
  if (!wijk) fouten.push({ name: "wijk", reason: "Kies de wijk." });
  if (fouten.length) return toonFouten(form, fouten, "", "v-");
  wisFouten(form);
  schrijf(OPSLAG.wijk, wijk);
  vragenlijst.begin({ id: uuid(), vragenlijst: code, wijk, datum: vandaag(), account: s.naam });
}

/** A respondent answered the last question: queued like a registration, then sent. */
async function vragenlijstIngevuld(basis) {
  await wachtrij.zet({ ...basis, aangemaakt: Date.now(), status: "wacht", samenvatting: samenvatting(basis) });
  // Not awaited: the thank-you shows at once; a refusal or an expired session waits in the
  // queue for the worker, who sees it after taking the device back.
  verstuurWachtrij(true);
}

function terugNaarWerker(gestopt) {
  if (!sessie()) {
    sessieVerlopen();
    return;
  }
  toonVragenlijstKeuze(gestopt ? "De vragenlijst is gestopt; er is niets bewaard." : "De vragenlijst is ingevuld.");
  toonWachtrij();
  verstuurWachtrij(true);
}

// ---------- sign in, data, start ----------

async function laadGegevens() {
  try {
    const [l, w, v] = await Promise.all([api("/codelijsten"), api("/wijken"), api("/vragenlijsten")]);
    schrijf(OPSLAG.lijsten, l);
    schrijf(OPSLAG.wijken, w);
    vragenlijst.bewaarDefinities(v);
  } catch (fout) {
    if (fout instanceof Probleem && fout.status === 401) throw fout;
  }
  lijsten = lees(OPSLAG.lijsten);
  wijken = lees(OPSLAG.wijken) || [];
  if (!lijsten) throw new GeenVerbinding("Nog geen codelijsten op dit toestel.");
}

async function start() {
  const s = sessie();
  // A respondent who reloads carries on with the questionnaire, signed in or not.
  const respondent = vragenlijst.toonHuidig();
  if (!s) {
    if (!respondent) toonInloggen(null);
    await toonWachtrij();
    return;
  }
  $("wie").textContent = `Ingelogd als ${s.naam}`;
  if (s.rol === KWARTIERMAKER) {
    toon("scherm-kwartiermaker");
    await toonWachtrij();
    return;
  }
  try {
    await laadGegevens();
  } catch (fout) {
    if (fout instanceof Probleem) return sessieVerlopen();
    meld("Geen verbinding, en de codelijsten staan nog niet op dit toestel. Probeer het als er verbinding is.");
    return;
  }
  bouwFormulier();
  bouwVragenlijstKeuze();
  if (!respondent) nieuwContact();
  meld(navigator.onLine ? "" : "Geen verbinding. Registraties worden op dit toestel bewaard.");
  await toonWachtrij();
  await verstuurWachtrij();
}

async function login(event) {
  event.preventDefault();
  const naam = $("naam").value.trim();
  const wachtwoord = $("wachtwoord").value;
  const fout = $("inloggen-fout");
  fout.textContent = "";
  if (!naam || !wachtwoord) {
    fout.textContent = "Vul uw accountnaam en wachtwoord in.";
    (naam ? $("wachtwoord") : $("naam")).focus();
    return;
  }
  try {
    const t = await api("/sessies", { method: "POST", form: { username: naam, password: wachtwoord } });
    const ik = await api("/sessies/huidige", { token: t.access_token });
    const werker = ik.rol === "preventiewerker" && ik.wijken.length > 0;
    if (!werker && ik.rol !== KWARTIERMAKER) {
      await api("/sessies/huidige", { method: "DELETE", token: t.access_token }).catch(() => {});
      fout.textContent = "Dit formulier is voor preventiewerkers met een eigen wijk en voor de kwartiermaker.";
      return;
    }
    bewaarSessie({ token: t.access_token, verlooptOp: t.verlooptOp, naam: ik.naam, rol: ik.rol, wijken: ik.wijken });
    schrijf("wijkcontact.sessieNaam", ik.naam);
    $("wachtwoord").value = "";
    await start();
  } catch (f) {
    fout.textContent =
      f instanceof GeenVerbinding ? "Geen verbinding. Inloggen kan alleen met verbinding." : f.detail;
    $("wachtwoord").focus();
  }
}

async function logout() {
  const s = sessie();
  if (s) await api("/sessies/huidige", { method: "DELETE" }).catch(() => {});
  wisSessie();
  localStorage.removeItem(OPSLAG.werklijst);
  localStorage.removeItem(OPSLAG.verstuurd);
  meld("U bent uitgelogd.");
  toonInloggen(null);
  await toonWachtrij();
}

function koppel() {
  $("inloggen").addEventListener("submit", login);
  $("uitloggen").addEventListener("click", logout);
  $("registratie").addEventListener("submit", registreer);
  $("overdracht").addEventListener("submit", legOverdrachtVast);
  $("code-zoeken").addEventListener("submit", zoekCode);
  $("afronden").addEventListener("click", rondAf);
  $("naar-nieuw").addEventListener("click", nieuwContact);
  $("nog-een").addEventListener("click", nieuwContact);
  $("naar-vervolg").addEventListener("click", () => {
    huidig = null;
    toon("scherm-vervolg");
    vernieuwWerklijst();
  });
  $("naar-werklijst").addEventListener("click", () => {
    if (huidig && huidig.status === "open" && huidig.overdrachtVereist) return openTraject(huidig);
    huidig = null;
    toon("scherm-vervolg", $("vervolg-kop"));
    vernieuwWerklijst();
  });
  $("nu-versturen").addEventListener("click", () => verstuurWachtrij());
  $("naar-vragenlijst").addEventListener("click", () => toonVragenlijstKeuze(""));
  $("vragenlijst-kiezen").addEventListener("submit", startVragenlijst);
  vragenlijst.installeer({ toon, klaar: vragenlijstIngevuld, terug: terugNaarWerker });
  $("verstuurd-wissen").addEventListener("click", async () => {
    localStorage.removeItem(OPSLAG.verstuurd);
    await toonWachtrij();
  });
  $("datum").addEventListener("input", toonDatumTekst);
  $("datum").addEventListener("change", toonDatumTekst);
  $("registratie").addEventListener("change", (e) => {
    if (e.target.name === "afhandeling") {
      const warm = e.target.value === "warme_overdracht";
      $("veld-doel").hidden = !warm;
      if (!warm) for (const i of $("veld-doel").querySelectorAll("input")) i.checked = false;
    }
  });
  window.addEventListener("online", () => {
    meld("Er is weer verbinding.");
    verstuurWachtrij();
  });
  window.addEventListener("offline", () => meld("Geen verbinding. Registraties worden op dit toestel bewaard."));
}

koppel();
start();
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
