/**
 * The privacy corpus in process: each datum in every field of every endpoint, through the intake's `eventsOf` and a
 * redactor over the fixture app's vocabulary (what synth puts in the layer), with no synthesized app. The corpus
 * test proves the same through the deployed handler and settings; this one is fast enough to run per mutant.
 */
import { readBuild } from '../../lib/app-contract';
import { Endpoint, eventsOf } from '../../lambda/telemetry/intake';
import { createRedactor } from '../../lambda/telemetry/redact';
import { vocabularyDocumentOf, vocabularyFrom } from '../../lambda/telemetry/vocabulary';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';
import { ASSET, bodiesWith, CORPUS, leaks } from './patient-corpus';

const build = readBuild(FIXTURE_APP_DIST);
if (!(build instanceof Map)) throw new Error(`the fixture app's build is unreadable: ${JSON.stringify(build)}`);
const redact = createRedactor(vocabularyFrom(vocabularyDocumentOf(build)));
const CONTENT_TYPES: Record<Endpoint, string> = {
  errors: 'application/json',
  csp: 'application/csp-report',
  reports: 'application/reports+json',
  vitals: 'application/json',
};
const ENDPOINTS = Object.keys(CONTENT_TYPES) as Endpoint[];
const eventsFor = (endpoint: Endpoint, text: string) =>
  eventsOf(endpoint, bodiesWith(text)[endpoint], { liveRelease: 'r-corpus', redact }, CONTENT_TYPES[endpoint]);

describe.each(ENDPOINTS)('/_telemetry/%s', (endpoint) => {
  it.each(CORPUS.map((datum, i) => [datum.text, i] as const))('keeps nothing of "%s"', (text, i) => {
    const events = eventsFor(endpoint, text);
    expect(events.length).toBeGreaterThan(0);
    const output = JSON.stringify(events);
    for (const secret of CORPUS[i].secrets)
      expect({ secret, leaked: leaks(output, secret) }).toEqual({ secret, leaked: false });
  });
});

it('keeps the error class, the engine wording, the frame in the build and the route', () => {
  for (const { text } of CORPUS) {
    const [error] = eventsFor('errors', text) as Array<Record<string, any>>;
    expect(error.message).toMatch(/^Cannot read properties of undefined \(reading '.*'\)$/);
    expect(error.stack).toMatch(/^TypeError: Cannot read properties of undefined/);
    // createRoot is a function name in the fixture bundle (React's).
    expect(error.stack).toContain(`at createRoot (${ASSET}:1:23456)`);
    expect(error.path).toBe('/booking/:id');
    expect(eventsFor('csp', text)[0]).toMatchObject({ documentPath: '/booking/:id', directive: 'img-src' });
    expect(eventsFor('vitals', text)[0]).toMatchObject({ path: '/booking/:id', routeGroup: '/booking' });
  }
});
