/**
 * Realistic German and US patient data, and the bodies that carry one datum in every field a browser can post to
 * each telemetry endpoint: shared by the corpus test through the real handler (redaction-corpus.test.ts) and the
 * in-process one the mutation run uses (redaction-fields.test.ts).
 */

export interface Datum {
  readonly text: string;
  /** What must not be found in the output (each a word, or a number as written). */
  readonly secrets: readonly string[];
}

const d = (text: string, ...secrets: string[]): Datum => ({ text, secrets: secrets.length ? secrets : [text] });

export const CORPUS: readonly Datum[] = [
  // Names, German and US, with titles, particles, hyphens, umlauts, and in "Surname, Given" order.
  d('Anna Schmidt', 'Anna', 'Schmidt'),
  d('Mustermann, Max', 'Mustermann', 'Max'),
  d('Dr. med. Jürgen Weißmüller', 'Jürgen', 'Weißmüller'),
  d('Lena-Marie Özdemir', 'Lena', 'Marie', 'Özdemir'),
  d('Katharina von Hohenberg-Sayn', 'Katharina', 'Hohenberg', 'Sayn'),
  d('Frau Sabine Krüger geb. Hoffmann', 'Sabine', 'Krüger', 'Hoffmann'),
  d("Jennifer O'Brien-Martinez", 'Jennifer', 'Brien', 'Martinez'),
  d('Mary-Kate Johnson', 'Mary', 'Kate', 'Johnson'),
  d('Nguyen Thi Lan', 'Nguyen', 'Lan'),
  d('José García López', 'José', 'García', 'López'),
  // Adversarial: a name made of words the bundle holds ("Will", "Page"), and a city it holds ("Phoenix").
  d('Will Page', 'Will', 'Page'),
  d('Page, Will', 'Page', 'Will'),
  d('Will Smith', 'Will', 'Smith'),
  d('Phoenix, AZ 85004', 'Phoenix', '85004'),
  // Addresses and postcodes.
  d('Hauptstraße 12, 10115 Berlin', 'Hauptstraße', '12', '10115', 'Berlin'),
  d('Königsallee 92a, 40212 Düsseldorf', 'Königsallee', '92a', '40212', 'Düsseldorf'),
  d('Am Mühlbach 3b, 81675 München', 'Mühlbach', '3b', '81675', 'München'),
  d('1600 Pennsylvania Ave NW, Washington, DC 20500', '1600', 'Pennsylvania', 'Washington', '20500'),
  d('742 Evergreen Terrace, Springfield, IL 62704', '742', 'Evergreen', 'Terrace', 'Springfield', '62704'),
  d('PO Box 4471, Austin, TX 78765-4471', '4471', 'Austin', '78765'),
  // Dates, numeric and spelled out.
  d('12. März 1985', 'März', '1985'),
  d('geboren am 03.04.1985', 'geboren', '03.04.1985', '1985'),
  d('DOB 1985-04-03', '1985-04-03', '1985'),
  d('04/03/1985', '04/03/1985', '1985'),
  d('March 4th, 1985', 'March', '1985'),
  d('Termin am 7. Dezember um 14:30 Uhr', 'Dezember', 'Termin'),
  d('4 Mar 1985', '1985'),
  // E-mails, plain and written out.
  d('max.mustermann@gmx.de', 'mustermann', 'gmx'),
  d('max(at)gmx.de', 'gmx'),
  d('anna.schmidt [at] web [dot] de', 'schmidt', 'web.de'),
  d('j.obrien at yahoo.com', 'obrien', 'yahoo'),
  d('Kontakt: anna%40schmidt-praxis.de', 'schmidt', 'praxis'),
  // Phone numbers.
  d('+49 30 12345678', '12345678'),
  d('030 / 1234 5678', '1234', '5678'),
  d('0171-2345678', '2345678'),
  d('(310) 555-0199', '555', '0199'),
  d('+1 415 555 2671', '2671'),
  // IBANs, insurance numbers, SSNs.
  d('DE89 3704 0044 0532 0130 00', 'DE89', '3704', '0532'),
  d('IBAN DE89370400440532013000', 'DE89370400440532013000'),
  d('KVNR A123456789', 'A123456789'),
  d('Versichertennummer X987654321, AOK Bayern', 'X987654321', 'Bayern'),
  d('Medicare MBI 1EG4-TE5-MK73', '1EG4', 'TE5', 'MK73'),
  d('Policy # W123456789 (Aetna)', 'W123456789', 'Aetna'),
  d('SSN 123-45-6789', '123-45-6789', '6789'),
  d('078-05-1120', '078-05-1120', '1120'),
  // Procedures with sizes.
  d('Implantat 350cc', 'Implantat', '350cc'),
  d('Brustvergrößerung mit 375 ml Silikonimplantaten', 'Brustvergrößerung', '375', 'Silikonimplantaten'),
  d('Rhinoplastik, Nachkorrektur links', 'Rhinoplastik', 'Nachkorrektur'),
  d('Liposuktion 2,5 l Bauch und Flanken', 'Liposuktion', 'Bauch', 'Flanken'),
  d('Abdominoplasty with 1.2 kg resection', 'Abdominoplasty', 'resection'),
  d('Botox 20 Einheiten Glabella', 'Botox', 'Einheiten', 'Glabella'),
  // German free text about symptoms.
  d(
    'Seit der OP habe ich starke Schmerzen und Schwellungen in der linken Brust',
    'Schmerzen',
    'Schwellungen',
    'linken',
    'Brust',
  ),
  d('Fieber 38,7 °C seit gestern, die Wunde nässt', 'Fieber', 'gestern', 'Wunde', 'nässt'),
  d('Ich nehme Ibuprofen 600 und Marcumar, bin Diabetikerin', 'Ibuprofen', 'Marcumar', 'Diabetikerin'),
  d('Taubheitsgefühl an der Narbe nach Facelift', 'Taubheitsgefühl', 'Narbe', 'Facelift'),
];

const SITE = 'https://app.example.com';
export const ASSET = `${SITE}/assets/index-CVFrhWuC.js`;
const enc = encodeURIComponent;

/** Every field of every endpoint, holding `text` (raw, percent-encoded, in a query, in a path). */
export function bodiesWith(text: string): Record<'errors' | 'csp' | 'reports' | 'vitals', unknown> {
  return {
    errors: [
      {
        message: `Cannot read properties of undefined (reading '${text}')`,
        stack: [
          `TypeError: Cannot read properties of undefined (reading '${text}')`,
          `    at createRoot (${ASSET}:1:23456)`,
          `    at ${text} (${SITE}/booking/${enc(text)}:12:34)`,
          `    at ${SITE}/booking/${text}:5:6`,
          `${text}@${SITE}/booking/${enc(text)}?q=${enc(text)}:7:8`,
        ].join('\n'),
        path: `/booking/${enc(text)}?name=${enc(text)}#${text}`,
        release: 'r-corpus',
        browser: 'Chrome',
        source: 'error',
      },
      { message: text, path: `/booking/${text}`, release: 'r-corpus', source: 'manual' },
      { message: `Buchung fehlgeschlagen: ${enc(text)}`, path: `/booking/${enc(text)}`, source: 'unhandledrejection' },
    ],
    csp: {
      'csp-report': {
        'document-uri': `${SITE}/booking/${enc(text)}?patient=${enc(text)}`,
        referrer: `${SITE}/search?q=${enc(text)}`,
        'effective-directive': 'img-src',
        'blocked-uri': `https://tracker.example/${enc(text)}/pixel.png?u=${enc(text)}`,
        'source-file': `${SITE}/booking/${text}`,
        'line-number': 3,
        'script-sample': text,
        disposition: 'enforce',
      },
    },
    reports: [
      {
        type: 'csp-violation',
        url: `${SITE}/booking/${enc(text)}`,
        body: {
          documentURL: `${SITE}/booking/${enc(text)}`,
          blockedURL: `https://tracker.example/${text}`,
          effectiveDirective: 'style-src-elem',
          sourceFile: `${SITE}/${enc(text)}.js`,
          sample: text,
          disposition: 'report',
        },
      },
      {
        type: 'deprecation',
        url: `${SITE}/booking/${text}`,
        body: { id: text, message: `${text} is deprecated`, sourceFile: `${SITE}/booking/${enc(text)}`, lineNumber: 1 },
      },
      { type: 'crash', url: `${SITE}/booking/${enc(text)}`, body: { reason: text } },
    ],
    vitals: {
      path: `/booking/${enc(text)}?q=${enc(text)}`,
      release: 'r-corpus',
      pageView: true,
      metrics: { LCP: 1200 },
    },
  };
}

/** Whether `secret` appears in `output` as a word (case-insensitive), or, if long and made of letters, anywhere. */
export function leaks(output: string, secret: string): boolean {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (/^\p{L}{5,}$/u.test(secret)) return new RegExp(escaped, 'iu').test(output);
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(output);
}
