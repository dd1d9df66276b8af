// The jaarverslag: the annual analysis of one year as a report for the gemeenteraad and the
// partners, on screen and on paper (jaarverslag.css holds the print layout).
import { api, GeenVerbinding, Probleem, sessie } from "./api.js";
import { $, el } from "./dom.js";
import { decimaal, euro, getal, procent, staafdiagram } from "./grafiek.js";

const KWARTIERMAKER = "kwartiermaker";
const TERUG = 2; // years before the chosen one in the headline
const JAREN = 6; // years to choose from: this one and the five before it
const INITIATIEF = { bewoners: "Door bewoners", professionals: "Door professionals", samen: "Bewoners en professionals samen" };
const RICHTING = { beter: "beter", slechter: "slechter", gelijk: "gelijk", hoger: "hoger", lager: "lager" };
const MAAND = new Intl.DateTimeFormat("nl-NL", { month: "long", timeZone: "UTC" });
const DATUM = new Intl.DateTimeFormat("nl-NL", { day: "numeric", month: "long", year: "numeric" });

let lijsten = {};
let wijken = [];
let indicatoren = [];
let vragenlijsten = [];
let verzoek = 0; // the newest request; an older answer that arrives later is dropped

// ---------- small helpers ----------

function omschrijving(lijst, code) {
  const item = (lijsten[lijst] || []).find((x) => x.code === code);
  return item ? item.omschrijving : code;
}

const codesVan = (lijst, tellingen) => (lijsten[lijst] || []).map((x) => x.code).filter((c) => c in (tellingen || {}));
const gemeente = () => (wijken[0] && wijken[0].gemeente) || "";
const jaarReeksen = (jaar) => [
  { naam: String(jaar), kort: String(jaar) },
  { naam: String(jaar - 1), kort: String(jaar - 1) },
];
const metVorig = (nu, vorig, jaar, opmaak = getal) =>
  vorig === undefined || vorig === null ? opmaak(nu) : `${opmaak(nu)} (${jaar - 1}: ${opmaak(vorig)})`;

/** Largest first, so that the chart reads as a ranking; ties keep the code list's order. */
function opVolgorde(codes, tellingen) {
  return [...codes].sort((a, b) => (tellingen[b] || 0) - (tellingen[a] || 0));
}

function kerncijfers(paren) {
  const dl = el("dl", { class: "kerncijfers" });
  for (const [naam, waarde] of paren) dl.append(el("div", {}, el("dt", { text: naam }), el("dd", { text: waarde })));
  return dl;
}

function deel(id, titel, ...inhoud) {
  const s = el("section", { class: "deel", id, "aria-labelledby": `${id}-kop` });
  s.append(el("h2", { id: `${id}-kop`, text: titel }), el("p", { class: "paginakop", text: paginakop() }), ...inhoud);
  return s;
}

let kopregel = "";
const paginakop = () => kopregel;

// ---------- the parts ----------

function socialeBasis(analyses, wijk) {
  const [hier] = analyses;
  const jaren = analyses.filter((a, i) => i === 0 || (a && a.totaal.aantalTrajecten > 0));
  const rijen = [
    ...hier.wijken.map((w) => ({ code: w.wijk, naam: w.naam })),
    { code: null, naam: `Gemeente ${gemeente()}` },
  ];
  const waarden = rijen.map((r) =>
    jaren.map((a) => {
      const cijfers = r.code ? a.wijken.find((w) => w.wijk === r.code) : a.totaal;
      return cijfers ? cijfers.aandeelSocialeBasis : null;
    }),
  );
  const doel = hier.doelAandeelSocialeBasis;
  const c = wijk ? hier.wijken[0] : hier.totaal;
  const oud = jaren[jaren.length - 1].jaar;
  const zin =
    c.aandeelSocialeBasis === null
      ? `In ${hier.jaar} is nog geen traject afgesloten${wijk ? ` in ${c.naam}` : ""}.`
      : `In ${hier.jaar} is ${procent(c.aandeelSocialeBasis)} van de afgesloten trajecten${wijk ? ` in ${c.naam}` : ""} ` +
        `opgelost in de sociale basis, zonder overdracht naar gespecialiseerde zorg ` +
        `(${hier.jaar - 1}: ${procent(c.vorigJaar.aandeelSocialeBasis)}). Het doel voor 2030 is ${procent(doel)}.`;
  return deel(
    "deel-sociale-basis",
    "Opgelost in de sociale basis",
    el("p", { class: "kernzin", id: "kernzin", text: zin }),
    staafdiagram({
      titel: `Aandeel opgelost in de sociale basis per wijk, ${oud === hier.jaar ? hier.jaar : `${oud} tot en met ${hier.jaar}`}, tegen het doel van ${procent(doel)} in 2030`,
      kolom: "Wijk",
      categorieen: rijen.map((r) => r.naam),
      reeksen: jaren.map((a) => ({ naam: String(a.jaar), kort: String(a.jaar) })),
      waarden,
      opmaak: procent,
      max: 100,
      doel: { waarde: doel, label: "doel 2030" },
      toelichting: "Van de trajecten die dat jaar afgesloten zijn: het deel zonder overdracht naar gespecialiseerde zorg.",
    }),
  );
}

function contacten(c, jaar) {
  const maanden = Object.keys(c.perMaand).sort();
  const lijn = (lijst, titel, tellingen, toelichting, kolom) => {
    const codes = opVolgorde(codesVan(lijst, tellingen), tellingen);
    return staafdiagram({
      titel,
      kolom,
      toelichting,
      categorieen: codes.map((code) => omschrijving(lijst, code) + (lijst === "overdrachtdoelen" && niveau(code) === "gespecialiseerd" ? " (gespecialiseerd)" : "")),
      reeksen: [{ naam: String(jaar) }],
      waarden: codes.map((code) => [tellingen[code]]),
    });
  };
  const per = c.gesprekkenPerTraject;
  const aandeelLimiet = c.aantalTrajecten ? (100 * c.trajectenLimietBereikt) / c.aantalTrajecten : null;
  return deel(
    "deel-contacten",
    "Contacten",
    kerncijfers([
      ["Nieuwe trajecten", metVorig(c.aantalTrajecten, c.vorigJaar.aantalTrajecten, jaar)],
      ["Gesprekken", metVorig(c.aantalGesprekken, c.vorigJaar.aantalGesprekken, jaar)],
      ["Trajecten die de grens van vijf gesprekken bereikten", `${getal(c.trajectenLimietBereikt)} (${procent(aandeelLimiet)} van de trajecten)`],
      ["Trajecten die na vijf gesprekken wachten op overdracht", getal(c.trajectenWachtOpOverdracht)],
    ]),
    staafdiagram({
      titel: `Gesprekken en nieuwe trajecten per maand, ${jaar}`,
      kolom: "Maand",
      categorieen: maanden.map((m) => MAAND.format(new Date(`${m}-01T00:00:00Z`))),
      reeksen: [
        { naam: "Gesprekken", kort: "gesprekken" },
        { naam: "Nieuwe trajecten", kort: "trajecten" },
      ],
      waarden: maanden.map((m) => [c.perMaand[m].gesprekken, c.perMaand[m].trajecten]),
    }),
    staafdiagram({
      titel: `Trajecten naar aantal gesprekken, ${jaar}`,
      kolom: "Gesprekken",
      toelichting: "Na het vijfde gesprek volgt een warme overdracht of wordt het traject afgerond.",
      categorieen: ["1", "2", "3", "4", "5"].map((n) => (n === "1" ? "1 gesprek" : n === "5" ? "5 gesprekken: grens bereikt" : `${n} gesprekken`)),
      reeksen: [{ naam: String(jaar) }],
      waarden: ["1", "2", "3", "4", "5"].map((n) => [per[n]]),
    }),
    lijn("vraagtypen", `Gesprekken per soort vraag, ${jaar}`, c.vraagtypen, "Een gesprek over meer soorten vragen telt bij elke soort mee.", "Soort vraag"),
    lijn("instroomroutes", `Nieuwe trajecten per instroomroute, ${jaar}`, c.instroomroutes, "Terugverwezen: inwoners die na gespecialiseerde zorg terugkomen in de sociale basis.", "Instroomroute"),
    lijn("locaties", `Gesprekken per plek, ${jaar}`, c.locaties, null, "Plek"),
    lijn("afhandelingen", `Gesprekken naar afhandeling, ${jaar}`, c.afhandelingen, null, "Afhandeling"),
    staafdiagram({
      titel: `Overdrachten: warm of niet warm, ${jaar}`,
      kolom: "Overdracht",
      categorieen: ["Warm overgedragen", "Niet warm overgedragen"],
      reeksen: [{ naam: String(jaar) }],
      waarden: [[c.overdrachtenWarm], [c.overdrachtenNietWarm]],
    }),
    lijn("overdrachtdoelen", `Overdrachten per voorziening, ${jaar}`, c.overdrachtdoelen, null, "Voorziening"),
  );
}

function niveau(code) {
  const d = (lijsten.overdrachtdoelen || []).find((x) => x.code === code);
  return d ? d.niveau : null;
}

function inzet(c, analyse, wijk) {
  const i = c.inzet;
  const v = i.vorigJaar || {};
  const jaar = analyse.jaar;
  if (!i.wijkenIngevuld) return deel("deel-inzet", "Inzet", el("p", { class: "leeg", text: `Voor ${jaar} is nog geen inzet vastgelegd.` }));
  const uren = codesVan("uursoorten", i.uren);
  const posten = codesVan("budgetposten", i.bedragen);
  const delen = [
    kerncijfers([
      ["Uren per week", metVorig(i.urenPerWeekTotaal, v.urenPerWeekTotaal, jaar)],
      ["Norm in uren per week", getal(i.normUrenPerWeek)],
      ["Inzet als deel van de norm", metVorig(i.percentageVanNorm, v.percentageVanNorm, jaar, procent)],
      ["Budget", metVorig(i.euroTotaal, v.euroTotaal, jaar, euro)],
    ]),
  ];
  if (!wijk)
    delen.push(
      staafdiagram({
        titel: `Inzet per wijk tegen de norm, in uren per week, ${jaar}`,
        kolom: "Wijk",
        categorieen: analyse.wijken.map((w) => w.naam),
        reeksen: [
          { naam: "Inzet", kort: "inzet" },
          { naam: "Norm", kort: "norm" },
        ],
        waarden: analyse.wijken.map((w) => [w.inzet.wijkenIngevuld ? w.inzet.urenPerWeekTotaal : null, w.inzet.normUrenPerWeek]),
      }),
    );
  delen.push(
    staafdiagram({
      titel: `Uren per week per functie, ${jaar} en ${jaar - 1}`,
      kolom: "Functie",
      categorieen: uren.map((u) => omschrijving("uursoorten", u)),
      reeksen: jaarReeksen(jaar),
      waarden: uren.map((u) => [i.uren[u], v.uren ? v.uren[u] : null]),
    }),
    staafdiagram({
      titel: `Budget per post in euro, ${jaar} en ${jaar - 1}`,
      kolom: "Post",
      categorieen: posten.map((p) => omschrijving("budgetposten", p)),
      reeksen: jaarReeksen(jaar),
      waarden: posten.map((p) => [i.bedragen[p], v.bedragen ? v.bedragen[p] : null]),
      opmaak: euro,
    }),
  );
  return deel("deel-inzet", "Inzet", ...delen);
}

function activiteiten(c, jaar) {
  const a = c.activiteiten;
  const v = a.vorigJaar || {};
  const soorten = codesVan("activiteitsoorten", a.perSoort);
  const initiatief = Object.keys(a.perInitiatief);
  return deel(
    "deel-activiteiten",
    "Activiteiten",
    kerncijfers([
      ["Activiteiten", metVorig(a.aantalActiviteiten, v.aantalActiviteiten, jaar)],
      ["Bijeenkomsten", metVorig(a.bijeenkomsten, v.bijeenkomsten, jaar)],
      ["Deelnemers", metVorig(a.deelnemers, v.deelnemers, jaar)],
      ["Vrijwilligers", metVorig(a.vrijwilligers, v.vrijwilligers, jaar)],
    ]),
    staafdiagram({
      titel: `Activiteiten per soort, ${jaar} en ${jaar - 1}`,
      kolom: "Soort",
      categorieen: soorten.map((s) => omschrijving("activiteitsoorten", s)),
      reeksen: jaarReeksen(jaar),
      waarden: soorten.map((s) => [a.perSoort[s], v.perSoort ? v.perSoort[s] : null]),
    }),
    staafdiagram({
      titel: `Activiteiten naar initiatief, ${jaar} en ${jaar - 1}`,
      kolom: "Initiatief",
      categorieen: initiatief.map((s) => INITIATIEF[s] || s),
      reeksen: jaarReeksen(jaar),
      waarden: initiatief.map((s) => [a.perInitiatief[s], v.perInitiatief ? v.perInitiatief[s] : null]),
    }),
  );
}

function effect(c, jaar) {
  const waarden = c.effect.indicatoren;
  const bekend = indicatoren.filter((i) => i.code in waarden);
  if (!bekend.some((i) => waarden[i.code].waarde !== null))
    return deel("deel-effect", "Effect", el("p", { class: "leeg", text: `Voor ${jaar} zijn nog geen effectindicatoren ingelezen.` }));
  const opmaak = (i) => (n) => (n === null || n === undefined ? "geen gegevens" : i.eenheid === "procent" ? `${getal(n)}%` : getal(n));
  const percentages = bekend.filter((i) => i.eenheid === "procent");
  const t = el("table", { class: "cijfers indicatoren" });
  t.append(
    el("caption", { text: `Effectindicatoren, ${jaar} tegen ${jaar - 1}` }),
    el(
      "thead",
      {},
      el("tr", {}, ...["Indicator", String(jaar), String(jaar - 1), "Verschil", "Ontwikkeling"].map((k) => el("th", { scope: "col", text: k }))),
    ),
  );
  const romp = el("tbody");
  for (const i of bekend) {
    const w = waarden[i.code];
    const f = opmaak(i);
    const naam = i.omschrijving + (i.eenheid !== "procent" && i.eenheid !== "aantal" ? ` (${i.eenheid})` : "") + (w.modelschatting ? " (modelschatting)" : "");
    romp.append(
      el(
        "tr",
        {},
        el("th", { scope: "row", text: naam }),
        el("td", { text: f(w.waarde) }),
        el("td", { text: f(w.vorigJaar) }),
        el("td", { text: w.verschil === null ? "geen gegevens" : `${w.verschil > 0 ? "+" : ""}${f(w.verschil)}` }),
        el("td", { text: RICHTING[w.richting] || "geen gegevens" }),
      ),
    );
  }
  t.append(romp);
  return deel(
    "deel-effect",
    "Effect",
    staafdiagram({
      titel: `Effectindicatoren in procenten, ${jaar} en ${jaar - 1}`,
      kolom: "Indicator",
      categorieen: percentages.map((i) => i.omschrijving),
      reeksen: jaarReeksen(jaar),
      waarden: percentages.map((i) => [waarden[i.code].waarde, waarden[i.code].vorigJaar]),
      opmaak: opmaak({ eenheid: "procent" }),
    }),
    // Wider than a phone: a scrollable region that keyboard users can reach too.
    el("div", { class: "tabel-breed", tabindex: 0, role: "region", "aria-label": `Effectindicatoren, ${jaar} tegen ${jaar - 1}` }, t),
  );
}

function ervaring(c, jaar) {
  const per = c.ervaring.vragenlijsten;
  const figuren = [];
  for (const lijst of vragenlijsten) {
    const e = per[lijst.code];
    if (!e) continue;
    const v = e.vorigJaar || { aantalRespondenten: 0, vragen: {} };
    const aantallen = Object.values(e.vragen).map((x) => x.aantal);
    const n = aantallen.length ? `per vraag ${getal(Math.min(...aantallen))} tot ${getal(Math.max(...aantallen))} antwoorden` : "";
    figuren.push(
      staafdiagram({
        titel: `${lijst.titel}: gemiddelde score (1 tot 5), ${getal(e.aantalRespondenten)} respondenten in ${jaar} (${jaar - 1}: ${getal(v.aantalRespondenten)})`,
        kolom: "Vraag",
        toelichting: e.aantalRespondenten ? `Gemiddelde van 1 (helemaal niet mee eens) tot 5 (helemaal mee eens); ${n}, zonder "weet niet".` : `Geen respondenten in ${jaar}.`,
        categorieen: lijst.vragen.map((q) => q.tekst),
        reeksen: jaarReeksen(jaar),
        waarden: lijst.vragen.map((q) => [e.vragen[q.code] ? e.vragen[q.code].gemiddelde : null, v.vragen[q.code] ? v.vragen[q.code].gemiddelde : null]),
        opmaak: decimaal,
        max: 5,
      }),
    );
  }
  return deel("deel-ervaring", "Ervaring: de monitor", ...figuren);
}

function gespecialiseerd(c, jaar) {
  const g = c.gespecialiseerdeInzet;
  const v = g.vorigJaar || {};
  if (!g.ingelezen)
    return deel(
      "deel-gespecialiseerd",
      "Gespecialiseerde inzet",
      el("p", { class: "leeg", text: `Voor ${jaar} zijn nog geen beschikkingen ingelezen.` }),
    );
  const voorzieningen = codesVan("voorzieningen", g.voorzieningen);
  const trend = g.basisjaar && g.trendTotaal !== null && g.trendTotaal !== undefined ? [["Beschikkingen tegen basisjaar " + g.basisjaar.jaar + " (= 100)", getal(g.trendTotaal)]] : [];
  return deel(
    "deel-gespecialiseerd",
    "Gespecialiseerde inzet",
    kerncijfers([
      ["Beschikkingen", metVorig(g.totaal, v.ingelezen ? v.totaal : null, jaar)],
      ["Beschikkingen per 1.000 inwoners", metVorig(g.totaalPer1000Inwoners, v.ingelezen ? v.totaalPer1000Inwoners : null, jaar)],
      ["Overdrachten naar gespecialiseerde zorg", metVorig(g.overdrachtenGespecialiseerd, v.overdrachtenGespecialiseerd, jaar)],
      ...trend,
    ]),
    staafdiagram({
      titel: `Beschikkingen naast overdrachten naar gespecialiseerde zorg, ${jaar} en ${jaar - 1}`,
      kolom: "Soort",
      categorieen: ["Beschikkingen", "Overdrachten naar gespecialiseerde zorg"],
      reeksen: jaarReeksen(jaar),
      waarden: [
        [g.totaal, v.ingelezen ? v.totaal : null],
        [g.overdrachtenGespecialiseerd, v.overdrachtenGespecialiseerd ?? null],
      ],
    }),
    staafdiagram({
      titel: `Beschikkingen per voorziening, ${jaar} en ${jaar - 1}`,
      kolom: "Voorziening",
      categorieen: voorzieningen.map((x) => omschrijving("voorzieningen", x)),
      reeksen: jaarReeksen(jaar),
      waarden: voorzieningen.map((x) => [g.voorzieningen[x], v.voorzieningen ? v.voorzieningen[x] : null]),
    }),
  );
}

// ---------- the page ----------

function stand(tekst, klaar = false) {
  $("stand").textContent = tekst;
  $("stand").classList.toggle("verborgen", klaar);
}

function weiger(tekst) {
  $("keuze").hidden = true;
  $("verslag").replaceChildren(
    el("h1", { text: "Jaarverslag" }),
    el("p", { class: "let-op", text: tekst }),
    el("p", {}, el("a", { href: "/", text: "Naar inloggen" })),
  );
}

function vulKeuzes(jaar, wijk) {
  const nu = new Date().getFullYear();
  $("jaar").replaceChildren(
    ...Array.from({ length: JAREN }, (_, i) => nu - i).map((j) =>
      el("option", { value: j, text: j === nu ? `${j} (tot nu toe)` : String(j), selected: j === jaar }),
    ),
  );
  $("wijk").replaceChildren(
    el("option", { value: "", text: "Alle wijken", selected: !wijk }),
    ...wijken.map((w) => el("option", { value: w.code, text: w.naam, selected: w.code === wijk })),
  );
}

async function toonVerslag() {
  const jaar = Number($("jaar").value);
  const wijk = $("wijk").value;
  const mijn = ++verzoek;
  const verslag = $("verslag");
  verslag.setAttribute("aria-busy", "true");
  stand("Het jaarverslag wordt geladen…");
  const zoek = new URLSearchParams({ jaar });
  if (wijk) zoek.set("wijk", wijk);
  history.replaceState(null, "", `?${zoek}`);
  const q = wijk ? `?wijk=${encodeURIComponent(wijk)}` : "";
  let analyses;
  try {
    analyses = await Promise.all(
      Array.from({ length: TERUG + 1 }, (_, i) => jaar - i).map((j) => api(`/jaaranalyses/${j}${q}`)),
    );
  } catch (fout) {
    if (mijn !== verzoek) return;
    verslag.removeAttribute("aria-busy");
    if (fout instanceof Probleem && fout.status === 401) return weiger("Uw sessie is verlopen. Log opnieuw in als kwartiermaker.");
    if (fout instanceof Probleem && fout.status === 403) return weiger("Het jaarverslag is alleen voor de kwartiermaker.");
    stand(fout instanceof GeenVerbinding ? "Geen verbinding: het jaarverslag kan nu niet worden geladen." : fout.detail);
    return;
  }
  if (mijn !== verzoek) return;
  const begin = performance.now();
  const [hier] = analyses;
  const c = wijk ? hier.wijken[0] : hier.totaal;
  const waar = wijk ? c.naam : "alle wijken";
  const gedrukt = DATUM.format(new Date());
  kopregel = `Gemeente ${gemeente()} · jaarverslag ${jaar} · ${waar} · afgedrukt op ${gedrukt}`;
  const titel = el(
    "header",
    { class: "titelblok" },
    el("h1", { id: "verslag-kop", text: `Jaarverslag ${jaar}` }),
    el("p", { class: "ondertitel", text: `Gemeente ${gemeente()} · ${wijk ? `wijk ${c.naam}` : "alle wijken"}` }),
    el("p", { class: "afdrukdatum", text: `Afgedrukt op ${gedrukt}` }),
  );
  verslag.replaceChildren(
    titel,
    socialeBasis(analyses, wijk),
    contacten(c, jaar),
    inzet(c, hier, wijk),
    activiteiten(c, jaar),
    effect(c, jaar),
    ervaring(c, jaar),
    gespecialiseerd(c, jaar),
  );
  document.title = `Jaarverslag ${jaar} · ${gemeente()} · ${waar}`;
  verslag.dataset.geladen = `${jaar}-${wijk}`;
  verslag.dataset.opbouwMs = String(Math.round(performance.now() - begin));
  verslag.removeAttribute("aria-busy");
  stand(`Jaarverslag ${jaar}, ${waar}, geladen.`, true);
}

async function start() {
  const s = sessie();
  if (!s) return weiger("Log eerst in als kwartiermaker om het jaarverslag te zien.");
  if (s.rol !== KWARTIERMAKER) return weiger("Het jaarverslag is alleen voor de kwartiermaker.");
  try {
    const [l, w, i, v] = await Promise.all([api("/codelijsten"), api("/wijken"), api("/indicatoren"), api("/vragenlijsten")]);
    lijsten = l;
    wijken = w;
    indicatoren = i;
    vragenlijsten = v.vragenlijsten;
  } catch (fout) {
    if (fout instanceof Probleem && fout.status === 401) return weiger("Uw sessie is verlopen. Log opnieuw in als kwartiermaker.");
    stand(fout instanceof GeenVerbinding ? "Geen verbinding: het jaarverslag kan nu niet worden geladen." : fout.detail);
    return;
  }
  const gevraagd = new URLSearchParams(location.search);
  const nu = new Date().getFullYear();
  const jaar = Number(gevraagd.get("jaar"));
  const wijk = gevraagd.get("wijk");
  vulKeuzes(jaar >= nu - JAREN + 1 && jaar <= nu ? jaar : nu - 1, wijken.some((x) => x.code === wijk) ? wijk : "");
  $("keuze").hidden = false;
  await toonVerslag();
}

$("jaar").addEventListener("change", toonVerslag);
$("wijk").addEventListener("change", toonVerslag);
$("afdrukken").addEventListener("click", () => window.print());
// The print date is the day of printing, also when the page has been open since yesterday.
window.addEventListener("beforeprint", () => {
  const vandaag = DATUM.format(new Date());
  for (const p of document.querySelectorAll(".afdrukdatum")) p.textContent = `Afgedrukt op ${vandaag}`;
  kopregel = kopregel.replace(/afgedrukt op .*$/, `afgedrukt op ${vandaag}`);
  for (const p of document.querySelectorAll(".paginakop")) p.textContent = kopregel;
});
start();
