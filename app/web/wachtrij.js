// The queue of registrations not yet sent, in IndexedDB: it survives closing the browser.
// An item holds only codes, dates and client-generated ids: nothing about the person.
const DB = "wijkcontact";
const STORE = "wachtrij";
let verbinding = null;

function open() {
  if (!verbinding) {
    verbinding = new Promise((klaar, mis) => {
      const verzoek = indexedDB.open(DB, 1);
      verzoek.onupgradeneeded = () => verzoek.result.createObjectStore(STORE, { keyPath: "id" });
      verzoek.onsuccess = () => klaar(verzoek.result);
      verzoek.onerror = () => mis(verzoek.error);
    });
  }
  return verbinding;
}

async function transactie(modus, werk) {
  const db = await open();
  return new Promise((klaar, mis) => {
    const tx = db.transaction(STORE, modus);
    const verzoek = werk(tx.objectStore(STORE));
    tx.oncomplete = () => klaar(verzoek && verzoek.result);
    tx.onerror = () => mis(tx.error);
    tx.onabort = () => mis(tx.error);
  });
}

/** Every queued item, oldest first. */
export async function alle() {
  const items = (await transactie("readonly", (s) => s.getAll())) || [];
  return items.sort((a, b) => a.aangemaakt - b.aangemaakt);
}

export const zet = (item) => transactie("readwrite", (s) => s.put(item));
export const weg = (id) => transactie("readwrite", (s) => s.delete(id));
