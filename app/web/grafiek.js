// Bar charts as hand-written SVG, built in the browser: no library, nothing from elsewhere, no
// inline style (the CSP), and the figures of every chart also as a table behind a disclosure.
// One horizontal bar chart serves every part of the report: the category name sits above its
// bars, so the chart stays readable at phone width and in print without wrapping labels.
const SVG = "http://www.w3.org/2000/svg";

const NL = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 1 });
const NL_1 = new Intl.NumberFormat("nl-NL", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const EURO = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
const ONBEKEND = "geen gegevens";

/** 1.234 and 12,5: Dutch notation; "geen gegevens" for a missing figure. */
export const getal = (n) => (n === null || n === undefined ? ONBEKEND : NL.format(n));
/** Always one decimal, as the service rounds shares: 90,0% and 12,5%. */
export const procent = (n) => (n === null || n === undefined ? ONBEKEND : `${NL_1.format(n)}%`);
/** A score with one decimal: 4,0 and 3,6. */
export const decimaal = (n) => (n === null || n === undefined ? ONBEKEND : NL_1.format(n));
export const euro = (n) => (n === null || n === undefined ? ONBEKEND : EURO.format(n));

// Okabe-Ito colours (told apart with every common colour vision deficiency), each at least
// 3:1 against white, and each series with its own pattern, a dark outline and a text label:
// colour is never the only cue.
const REEKSEN = [
  { kleur: "#0072B2", patroon: null },
  { kleur: "#D55E00", patroon: "streep" },
  { kleur: "#009E73", patroon: "stip" },
  { kleur: "#CC79A7", patroon: "ruit" },
];
const RAND = "#1a1a1a";
const TEKST = "#1a1a1a";

const BREEDTE = 360; // viewBox units = CSS pixels at natural size
const LETTER = 12;
const STAAF = 11;
const TUSSEN = 2;
const GROEP = 9;
const TEKENBREEDTE = 6.6; // width of one character at 11 units, generously
const REGEL = 48; // characters of a category name per line at 12 units, semibold

let volgnummer = 0;

function svg(tag, attrs = {}, tekst) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (tekst !== undefined) e.textContent = tekst;
  return e;
}

function html(tag, attrs = {}, ...kinderen) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...kinderen);
  return e;
}

function patronen(id) {
  const defs = svg("defs");
  for (const [i, r] of REEKSEN.entries()) {
    if (!r.patroon) continue;
    const p = svg("pattern", { id: `${id}-p${i}`, width: 6, height: 6, patternUnits: "userSpaceOnUse" });
    p.append(svg("rect", { width: 6, height: 6, fill: "#fff" }));
    if (r.patroon === "streep") {
      p.setAttribute("patternTransform", "rotate(45)");
      p.append(svg("rect", { width: 3.5, height: 6, fill: r.kleur }));
    } else if (r.patroon === "stip") {
      p.append(svg("circle", { cx: 3, cy: 3, r: 2.2, fill: r.kleur }));
    } else {
      p.append(svg("path", { d: "M0 3H6M3 0V6", stroke: r.kleur, "stroke-width": 2.5 }));
    }
    defs.append(p);
  }
  return defs;
}

/** A long category name over several lines, broken between words. */
function regels(tekst) {
  const uit = [];
  let regel = "";
  for (const woord of tekst.split(" ")) {
    if (regel && regel.length + 1 + woord.length > REGEL) {
      uit.push(regel);
      regel = woord;
    } else regel = regel ? `${regel} ${woord}` : woord;
  }
  return [...uit, regel];
}

const vulling = (id, i) => (REEKSEN[i].patroon ? `url(#${id}-p${i})` : REEKSEN[i].kleur);

/**
 * A figure with a bar chart and its table.
 *   titel: what the chart shows (its accessible name and caption); kolom: the table's row header
 *   categorieen: names of the rows; reeksen: [{naam, kort?}] (kort prefixes each value label)
 *   waarden: [[value per reeks] per category], null for a missing figure
 *   opmaak: number -> text; max: the scale's end (default: the largest value)
 *   doel: {waarde, label} drawn as a dashed line; toelichting: a sentence under the caption
 */
export function staafdiagram({ titel, kolom = "Onderdeel", categorieen, reeksen, waarden, opmaak = getal, max, doel, toelichting }) {
  const id = `grafiek-${++volgnummer}`;
  const labels = waarden.map((rij) =>
    rij.map((w, i) => (reeksen[i].kort ? `${reeksen[i].kort}: ${opmaak(w)}` : opmaak(w))),
  );
  const rechts = Math.max(...labels.flat().map((t) => t.length)) * TEKENBREEDTE + 6;
  const schaalbreedte = BREEDTE - rechts;
  const hoogste = Math.max(max || 0, doel ? doel.waarde : 0, ...waarden.flat().filter((w) => w !== null));
  const x = (w) => (hoogste > 0 ? (Math.max(w, 0) / hoogste) * schaalbreedte : 0);

  const legenda = reeksen.length > 1 || doel;
  let y = legenda ? 24 : 4;
  const namen = categorieen.map(regels);
  const staven = reeksen.length * (STAAF + TUSSEN) + GROEP;
  const hoogte = y + namen.reduce((som, n) => som + n.length * (LETTER + 2) + 2 + staven, 0) + (doel ? 14 : 0);
  const beeld = svg("svg", {
    viewBox: `0 0 ${BREEDTE} ${hoogte}`,
    width: BREEDTE,
    height: hoogte,
    role: "img",
    "aria-labelledby": `${id}-titel`,
    "font-family": "system-ui, 'DejaVu Sans', sans-serif",
    "font-size": 11,
    fill: TEKST,
  });
  beeld.append(patronen(id));

  if (legenda) {
    let lx = 0;
    for (const [i, r] of reeksen.entries()) {
      beeld.append(svg("rect", { x: lx, y: 4, width: 14, height: 11, fill: vulling(id, i), stroke: RAND }));
      beeld.append(svg("text", { x: lx + 18, y: 13.5 }, r.naam));
      lx += 18 + r.naam.length * TEKENBREEDTE + 14;
    }
    if (doel) {
      beeld.append(svg("line", { x1: lx, x2: lx, y1: 2, y2: 17, stroke: RAND, "stroke-width": 2, "stroke-dasharray": "4 2" }));
      beeld.append(svg("text", { x: lx + 5, y: 13.5 }, doel.label));
    }
  }

  for (const [c, naam] of namen.entries()) {
    for (const regel of naam) {
      y += LETTER + 2;
      beeld.append(svg("text", { x: 0, y: y - 2, "font-size": LETTER, "font-weight": 600 }, regel));
    }
    let by = y + 2;
    for (const [i] of reeksen.entries()) {
      const w = waarden[c][i];
      const breedte = w === null ? 0 : x(w);
      if (breedte > 0)
        beeld.append(svg("rect", { x: 0.5, y: by, width: breedte, height: STAAF, fill: vulling(id, i), stroke: RAND }));
      beeld.append(svg("text", { x: breedte + 4, y: by + STAAF - 2, class: "waarde" }, labels[c][i]));
      by += STAAF + TUSSEN;
    }
    y += 2 + staven;
  }
  if (doel) {
    const dx = x(doel.waarde);
    beeld.append(
      svg("line", {
        x1: dx, x2: dx, y1: legenda ? 22 : 2, y2: hoogte - 12,
        stroke: RAND, "stroke-width": 2, "stroke-dasharray": "4 2",
      }),
    );
    beeld.append(svg("text", { x: Math.min(dx, BREEDTE - 60), y: hoogte - 2, "text-anchor": "middle" }, opmaak(doel.waarde)));
  }

  const figuur = html("figure", { class: "grafiek", id });
  figuur.append(html("figcaption", { id: `${id}-titel`, text: titel }));
  if (toelichting) figuur.append(html("p", { class: "toelichting", text: toelichting }));
  figuur.append(beeld, tabel(titel, kolom, categorieen, reeksen, waarden, opmaak));
  return figuur;
}

/** The chart's figures as a table, behind a disclosure (open it to read or copy them). */
export function tabel(titel, kolom, categorieen, reeksen, waarden, opmaak = getal) {
  const t = html("table", { class: "cijfers" });
  t.append(html("caption", { text: titel }));
  const kop = html("tr", {}, html("th", { scope: "col", text: kolom }));
  for (const r of reeksen) kop.append(html("th", { scope: "col", text: r.naam }));
  t.append(html("thead", {}, kop));
  const romp = html("tbody");
  for (const [c, naam] of categorieen.entries()) {
    const rij = html("tr", {}, html("th", { scope: "row", text: naam }));
    for (const w of waarden[c]) rij.append(html("td", { text: opmaak(w) }));
    romp.append(rij);
  }
  t.append(romp);
  const samenvatting = html("summary", { text: "Cijfers als tabel" }, html("span", { class: "verborgen", text: `: ${titel}` }));
  return html("details", { class: "tabel" }, samenvatting, t);
}
