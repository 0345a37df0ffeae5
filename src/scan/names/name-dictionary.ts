import type { PiiKind } from '../pii-kind.js';

/**
 * One entry of the names dictionary: spellings that, found in a column's name or comment, say what
 * the column holds. A spelling may be several words (`date of birth`, `e-post`): it is split the way
 * column names are (`nameWords`) and matched word by word, longest spelling first, so `email_address`
 * is an e-mail and not a street, and `zip_code` a postal code and not a code.
 */
export interface NameEntry {
  /** Spellings as written in the dictionary; the one that matched is a signal's `word`. */
  readonly words: readonly string[];
  /** The kind of personal data; undefined for spellings that say "not personal" and so stop shorter ones (`mac address`, `bic`). */
  readonly kind: PiiKind | undefined;
  readonly strength: 'strong' | 'weak';
  /** Too common in prose to count in a column comment (`comment`, `tel`, `message`). */
  readonly columnOnly?: boolean;
  /**
   * A bare name (`name`, `namn`): personal only about a person. The word before it decides
   * (`customer_name` strong, `product_name` nothing, `nick_name` weak); without one the table does
   * (`users.name` strong, `products.name` nothing, anything else weak).
   */
  readonly bareName?: boolean;
  /** Names a person (`kontaktperson`, `account holder`): their name, unless another spelling follows (`kontaktperson_epost` is an e-mail). */
  readonly person?: boolean;
}

/** Spellings written as comma-separated lists, a line of the file each. */
function list(...lines: string[]): readonly string[] {
  return lines.flatMap((line) => line.split(',').map((word) => word.trim())).filter((word) => word !== '');
}

const strong = (kind: PiiKind, words: string): NameEntry => ({ words: list(words), kind, strength: 'strong' });
const weak = (kind: PiiKind, words: string): NameEntry => ({ words: list(words), kind, strength: 'weak' });
const notPersonal = (words: string): NameEntry => ({ words: list(words), kind: undefined, strength: 'weak' });
const columnOnly = (entry: NameEntry): NameEntry => ({ ...entry, columnOnly: true });

/** The names dictionary, Swedish and English, abbreviations included. Order does not matter: the longest spelling wins. */
export const NAME_ENTRIES: readonly NameEntry[] = [
  // Identity numbers.
  strong('personnummer', 'personnummer, personnr, persnr, person nr, pers nr, person nummer, person number, personal number, personal identity number, personal id number'),
  strong('personnummer', 'social security, social security number, ssn, national id, national identity number, national id number'),
  strong('personnummer', 'födelsenummer, identitetsnummer, personbeteckning'),
  columnOnly(strong('personnummer', 'pnr, pnummer')),
  weak('personnummer', 'id number, idnummer, id nummer, identity number, tax id'),
  columnOnly(weak('personnummer', 'tin')),
  columnOnly(strong('payment_card', 'pan')),
  strong('samordningsnummer', 'samordningsnummer, samordningsnr, coordination number'),
  strong('organisationsnummer', 'organisationsnummer, orgnr, org nr, org no, org number, organisation number, organization number'),
  strong('organisationsnummer', 'company registration, company registration number, company reg no, corporate id, corporate identity number'),
  weak('organisationsnummer', 'vat number, vat no, vat nr, momsnummer, momsnr, momsregnr, moms reg nr, momsregistreringsnummer'),
  // Birth.
  strong('birth_date', 'födelsedatum, födelsedag, födelsetid, född, född datum, birth date, birth time, birthdate, date of birth, birthday, born, born on, dob'),
  weak('birth_date', 'födelseår, birth year, year of birth'),
  // Names.
  strong('first_name', 'förnamn, fnamn, tilltalsnamn, first name, firstname, given name, givenname, forename, christian name'),
  weak('first_name', 'middle name, mellannamn, preferred name'),
  strong('last_name', 'efternamn, enamn, last name, lastname, surname, sur name, family name, familyname, maiden name'),
  strong('full_name', 'full name, fullname, fullständigt namn, display name, displayname, contact name, real name, namn och efternamn, name of the person'),
  { ...strong('full_name', 'contact person, kontaktperson, account holder, kontoinnehavare'), person: true },
  { ...weak('full_name', 'name, namn'), bareName: true },
  { ...columnOnly(weak('full_name', 'recipient, mottagare, addressee, attention')), person: true },
  // Contact.
  strong('username', 'username, user name, användarnamn, anvandarnamn, login name, screen name, screenname, nickname, nick name, nick, smeknamn, user handle'),
  strong('email', 'email, e-mail, e mail, mail, mejl, epost, e-post, mailadress, mejladress, epostadress, e-postadress, email address'),
  strong('email', 'mail address, e-mail address, emailaddress, e-mailadress, emailadress'),
  strong('phone', 'telefon, telefonnummer, telefonnr, telnr, tfn, phone, phone number, phonenumber, phone no, telephone'),
  strong('phone', 'mobil, mobilnummer, mobilnr, mobiltelefon, mobile, mobile number, mobile phone, cellphone, cell phone, fax, msisdn'),
  columnOnly(strong('phone', 'tel, mob')),
  weak('phone', 'cell, sms'),
  // Address.
  strong('street', 'adress, address, addr, gata, gatuadress, street, street address, street name, gatunamn, utdelningsadress, postadress'),
  strong('street', 'c/o, co address, co adress, c/o address, care of, careof, address line, house number, gatunummer'),
  columnOnly(strong('street', 'adr')),
  weak('street', 'lägenhet, lägenhetsnummer, apartment, lgh'),
  strong('postal_code', 'postnummer, postnr, post nr, zip, zipcode, zip code, postal code, postalcode, postcode, post code'),
  strong('city', 'ort, postort, stad, city, town, city name, ortnamn, hemort, bostadsort, födelseort, place of birth, birthplace'),
  weak('city', 'kommun, municipality'),
  columnOnly(strong('geo', 'lat, lng, lon, lat lng')),
  strong('geo', 'latitude, longitude, koordinat, koordinater, coordinate, coordinates, coords, gps, geolocation'),
  weak('geo', 'geo, geom, geopoint'),
  columnOnly(weak('geo', 'position, location, geometry')),
  notPersonal('mac address, mac adress, website address, web address, webbadress, webadress, server address, host address, hemsida, url, bic, swift, bic code'),
  notPersonal('company name, företagsnamn, bank name, street type'),
  // Money.
  strong('iban', 'iban'),
  strong(
    'bank_account',
    'kontonummer, kontonr, bankkonto, bankkontonummer, lönekonto, betalkonto, utbetalningskonto, salary account, payout account, account number, account no, bank account, bank account number, bankgiro, plusgiro',
  ),
  strong('bank_account', 'clearing, clearingnummer, clearingnr, clearing number, bg nr, pg nr, bankgironummer, plusgironummer'),
  strong('payment_card', 'card number, cardnumber, kortnummer, kortnr, credit card, creditcard, credit card number, cc number, betalkort'),
  // Network.
  strong('ip', 'ip, ip address, ipaddress, ipaddr, ip addr, ip adress, ipv, remote addr, remote address, remote ip, client ip, inet, x forwarded for, forwarded for'),
  // Free text.
  strong('free_text', 'fritext, free text, freetext, anteckning, anteckningar, notes'),
  columnOnly(strong('free_text', 'note, kommentar, kommentarer, comment, comments, message, meddelande, remarks, remark, övrigt, notering, noteringar')),
  columnOnly(weak('free_text', 'description, beskrivning, body, text, details, information')),
  notPersonal('error message, felmeddelande, commit message, status message, message id, message type'),
];

/**
 * Words of tables about people, and of the word before a bare name that makes it a person's
 * (`kund_namn`, `contact_name`). Singular and plural as written; a word also matches with an English
 * plural `s` or a Swedish genitive (`kundens`, `customer's`).
 */
export const PERSON_WORDS: readonly string[] = list(
  'user, users, användare, customer, kund, kunder, client, clients, klient, klienter, person, personer, people, individ, individer',
  'employee, anställd, anställda, anstalld, staff, personal, personnel, worker, medarbetare, contact, kontakt, kontakter, kontaktperson, kontaktpersoner',
  'patient, patienter, member, medlem, medlemmar, student, studerande, elev, elever, pupil, applicant, sökande, candidate, kandidat, kandidater',
  'guardian, vårdnadshavare, parent, förälder, föräldrar, driver, förare, chaufför, account holder, kontoinnehavare, holder, innehavare, owner, ägare',
  'recipient, mottagare, sender, avsändare, subscriber, prenumerant, prenumeranter, visitor, besökare, guest, gäst, gäster, passenger, passagerare',
  'resident, boende, tenant, hyresgäst, hyresgäster, donor, givare, volunteer, volontär, author, författare, profile, profil, profiler, buyer, köpare',
  'seller, säljare, lead, leads, prospect, subject, registrerad, child, children, barn, spouse, make, maka, partner, mother, father, mamma, pappa',
  'relative, anhörig, anhöriga, next of kin, emergency contact, beneficiary, förmånstagare, policyholder, försäkringstagare, borrower, låntagare',
  'teacher, lärare, doctor, läkare, nurse, sjuksköterska, handläggare, consultant, konsult, konsulter, agent, representative, ombud, signatory, firmatecknare',
  'billing, full, display, real, legal, given, family, first, last, middle, maiden, preferred, namn och',
);

/**
 * Words of tables about things, and of the word before a bare name that makes it a thing's
 * (`product_name`, `filnamn`, `hostname`): such a name is not personal.
 */
export const THING_WORDS: readonly string[] = list(
  'product, produkt, produkter, artikel, artiklar, article, item, items, vara, varor, sku, category, categories, kategori, kategorier',
  'company, companies, företag, firma, bolag, organisation, organization, organisationer, org, business, employer, arbetsgivare, supplier, leverantör',
  'leverantörer, vendor, manufacturer, tillverkare, brand, märke, bank, banker, store, butik, butiker, shop, warehouse, lager, merchant',
  'city, cities, stad, städer, country, countries, land, länder, region, regions, county, län, kommun, kommuner, municipality, municipalities',
  'street, streets, gata, gator, place, places, plats, platser, location, locations, venue, site, sites, area, zone, office, kontor',
  'school, schools, skola, skolor, hospital, sjukhus, clinic, klinik, course, courses, kurs, kurser, class, klass, klasser, subject area',
  'file, files, fil, filer, document, documents, dokument, folder, mapp, image, bild, attachment, bilaga, host, server, domain, service, tjänst',
  'tjänster, app, application, applications, system, database, db, schema, table, tabell, column, kolumn, field, fält, attribute, param, parameter',
  'setting, settings, inställning, feature, features, option, variant, variants, model, models, device, devices, enhet, vehicle, fordon, type, types',
  'status, statuses, role, roles, roll, roller, group, groups, grupp, grupper, team, teams, department, departments, avdelning, avdelningar',
  'project, projects, projekt, event, events, evenemang, campaign, kampanj, template, templates, mall, mallar, tag, tags, etikett, label',
  'plan, plans, package, paket, list, lista, queue, job, jobs, task, uppgift, step, stage, report, rapport, menu, meny, page, sida, section',
  'currency, currencies, valuta, language, languages, språk, unit, units, color, colour, färg, size, storlek, account type, permission, permissions',
  'metric, metrics, migration, migrations, key, index, sequence, trigger, function, view, module, component, class name, room, rum, building, byggnad',
  'hotel, restaurant, airport, station, route, linje, channel, kanal, source, källa, queue, topic, ämne, game, team name, league, skill, skills',
);

/** Words at the end of a table's name that say nothing about what it holds (`kundregister`, `tbl_kunder`, `customer_data`). */
export const TABLE_NOISE_WORDS: readonly string[] = list('tbl, tab, table, tabell, data, info, register, registry, list, lista, master, dim, v, view, raw, stg, staging');

/**
 * Last words that make a column a code, a count, a flag or a time about the data rather than the
 * data (`email_verified`, `phone_country_code`, `name_changed_at`, `customer_id`). A spelling of the
 * dictionary that ends in one of them keeps its kind (`zip_code`, `national_id`).
 */
export const CODE_SUFFIXES: readonly string[] = list(
  'id, ids, uuid, guid, pk, fk, ref, at, on, by, time, timestamp, ts, tid, tidpunkt, created, updated, deleted, modified, changed, inserted',
  'skapad, skapat, uppdaterad, uppdaterat, ändrad, ändrat, raderad, borttagen, count, counter, antal, cnt, hash, hashed, digest, checksum, crc',
  'code, kod, koder, status, state, type, typ, kind, sort, category, kategori, class, version, rev, revision, verified, confirmed, validated',
  'valid, invalid, verifierad, bekräftad, sent, skickad, skickat, received, opened, clicked, bounced, bounce, bounces, blocked, template, mall',
  'provider, domain, format, pattern, regex, length, len, size, flag, flags, enabled, disabled, active, aktiv, visible, visibility, public',
  'limit, max, min, order, ordning, index, idx, seq, sequence, priority, prio, level, nivå, score, rank, weight, vikt',
  'amount, belopp, price, pris, cost, kostnad, fee, avgift, currency, valuta, total, sum, summa, tax, moms, rate, percent, procent',
  'quantity, qty, unit, enhet, duration, interval, timeout, ttl, expires, expiry, country, land, language, språk, locale, lang, region',
  'model, brand, vendor, carrier, operator, operatör, consent, samtycke, opt, optin, optout, subscribed, unsubscribed',
  'preference, preferences, settings, notification, notifications, frequency, policy, config, mode, source, channel, kanal, method, metod',
  'sku, ean, gtin, ocr, timezone, tz, prefix, suffix, mask, masked, match, matches, attempts, retries, errors, error, reason, result',
  'ok, exists, missing, required, optional, default, primary, flagged, changes, history, log, logs, queue, job, batch, bytes, byte',
);

/** First words of a flag (`is_email_public`, `has_phone`, `har_epost`). */
export const FLAG_PREFIXES: readonly string[] = list('is, has, can, should, must, allow, allows, use, uses, show, hide, needs, want, wants, är, har, kan, ska, visa');

/**
 * Whole names (or their last words) that are a business number or another code, never a person's
 * data, whatever words they hold (`order_number`, `fakturanummer`, `kundnummer`, `tracking_number`).
 */
export const CODE_NAMES: readonly string[] = list(
  'order number, ordernummer, ordernr, order no, invoice number, invoice no, fakturanummer, fakturanr, faktura nummer, ocr, ocr number, ocrnummer',
  'customer number, kundnummer, kundnr, kund nummer, member number, medlemsnummer, medlemsnr, employee number, anställningsnummer, tracking number, spårningsnummer',
  'receipt number, kvittonummer, kvittonr, transaction number, transaktionsnummer, reference number, referensnummer, ref number, article number, artikelnummer, artnr, product number, produktnummer, serial number, serienummer',
  'case number, ärendenummer, ticket number, ärendenr, booking number, bokningsnummer, contract number, avtalsnummer, policy number, försäkringsnummer',
  'version, sku, ean, gtin, status, type, kind, typ, created, updated, deleted, modified, amount, belopp, price, pris, currency, valuta',
  'count, antal, country, land, code, kod, id, uuid, opt in, opt out, user agent, useragent, http user agent',
);

/**
 * Last words of a secret (`password_hash`, `email_confirmation_token`): not personal data in the
 * inventory's sense, and not a code either. `codeLikeName` says false for them and `nameSignals`
 * finds nothing in them; the caller decides what a secret gets.
 */
export const SECRET_WORDS: readonly string[] = list('password, passwd, pwd, lösenord, token, tokens, secret, salt, nonce, otp, totp, pin, api key, apikey, key');

/**
 * Words that start glued Swedish (and a few English) compounds without being personal themselves:
 * `kund` + `epost`, `faktura` + `adress`, `hem` + `telefon`, `user` + `name`. With the dictionary's
 * own words they let `nameWords` split `kundepost` into `kund epost`.
 */
export const COMPOUND_PARTS: readonly string[] = list(
  'kund, faktura, leverans, hem, arbete, arbets, jobb, privat, kontakt, person, företag, bolag, firma, produkt, fil, användar, anhörig, patient',
  'elev, medlem, förälder, post, gatu, besöks, utdelnings, mobil, alt, extra, reserv, fakturerings, order, bostads, folkbokförings, vårdnadshavar',
  'customer, user, contact, client, billing, shipping, delivery, home, work, office, private, primary, secondary, other, alternate, file, host',
  'product, company, first, last, full, display, created, updated, deleted, modified, verified, confirmed, email, phone, mail, login, kort, konto',
  'säljar, köpar, mottagar, avsändar, ägar, förar, sökande, kontoinnehavar, referens, avtals, ärende, bokning, avi, sms, reg, ip, zip, server',
);
