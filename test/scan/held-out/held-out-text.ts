import { formatPnr, type Values } from './held-out-values.js';

/** Free text as school staff write it (Swedish): names, phone numbers, personnummer, e-mails among ordinary words. */
export function swedishNote(v: Values): string {
  const n = `${v.firstName()} ${v.lastName()}`;
  const g = v.firstName();
  const templates = [
    () => `Samtal med ${g} (mamma) idag, hon nås på ${v.phone()}. Eleven har varit frånvarande tre måndagar i rad.`,
    () => `Pappa ${n} ringde från ${v.phone()} och meddelade att ${v.firstName()} är sjuk resten av veckan.`,
    () =>
      `Elevens pnr ${formatPnr(v.childPnr(), '10-')} saknades i importen, rättat manuellt. /${v.firstName().slice(0, 2).toUpperCase()}${v.lastName().slice(0, 2).toUpperCase()}`,
    () => `Utvecklingssamtal bokat v.${v.int(2, 50)} med vårdnadshavare ${n}. Skicka kallelse till ${v.email(g, v.lastName())}.`,
    () => `Har pratat med kurator. ${g} upplever oro inför nationella proven i matematik, följs upp efter lovet.`,
    () => `Ingen anmärkning. Eleven deltog aktivt på lektionen.`,
    () => `Skolsköterskan kontaktade ${n}, tel ${v.phone()}, angående vaccinationen. Svar inväntas.`,
    () => `Enligt beslut ${v.date()} får eleven anpassad studiegång i svenska. Kontaktperson hos BUP: ${n}.`,
    () => `Kallelse skickad per post till ${v.street()}, ${v.postalCode()} ${v.city()}.`,
    () => `Nyanländ elev, samordningsnummer ${formatPnr(v.samordningsnummer(), '12-')} tills personnummer finns. Tolk: ${v.firstName()} ${v.lastName()}, ${v.phone()}.`,
    () => `Bytt klass från 7B till 7C efter önskemål från familjen.`,
  ];
  return v.pick(templates)();
}

/** Free text in English as support agents, customers and HR staff write it. */
export function englishNote(v: Values): string {
  const first = v.enFirst();
  const last = v.enLast();
  const templates = [
    () => `Hi, this is ${first} ${last}. I can't log in since yesterday, please call me on ${v.e164()} or reply to ${v.email(first, last)}.`,
    () => `Customer asked to change billing contact to ${v.firstName()} ${v.lastName()} (${v.email(v.firstName(), v.lastName(), 'foretaget.se')}).`,
    () => `Export fails with error 500 when the date range spans a year. Steps to reproduce attached.`,
    () => `Please update my personal number to ${formatPnr(v.adultPnr(), '12-')}, the one on file is wrong.`,
    () => `Thanks ${first}, the invoice has been re-sent. Let me know if anything else comes up.`,
    () => `Webhook deliveries time out after 30 seconds; we raised the limit for this account.`,
    () => `New address: ${v.street()}, ${v.postalCode()} ${v.city()}. Phone ${v.phone()}.`,
    () => `Hej! Kan ni ringa mig på ${v.phone()}? Mvh ${v.firstName()} ${v.lastName()}`,
    () => `Duplicate of an earlier ticket, closing.`,
  ];
  return v.pick(templates)();
}
