/**
 * The privacy corpus: realistic German and US patient data in every field a browser can post, sent through
 * `npm run redact` (in process), which runs the collector's Lambda handler with staging's synthesized settings and
 * the vocabulary layer of the tests' app build (the fixture app: React, Radix, Sentry, supabase-js). None of the
 * data may appear in a stored line or a notice, while the error class and the route pattern survive.
 *
 * Adversarial: the fixture bundle itself holds the capitalized words "Will", "Page" and "Phoenix", so a patient
 * called "Will Page" from Phoenix is made of words of the code; as a pair, and beside any removed word, they go.
 */
import { Readable } from 'node:stream';
import { main } from '../../scripts/redact';
import { testAssemblyDir } from '../support/cached-assembly';
import { ASSET, bodiesWith, CORPUS, leaks } from './patient-corpus';

async function redact(endpoint: string, bodies: readonly unknown[]): Promise<Array<Record<string, any>>> {
  const printed: string[] = [];
  const errors: string[] = [];
  const input = Readable.from(bodies.map((b) => `${JSON.stringify(b)}\n`));
  const code = await main(['--endpoint', endpoint, '--env', 'staging', '--assembly', testAssemblyDir()], {
    out: (line) => printed.push(line),
    err: (line) => errors.push(line),
    input,
  });
  expect(errors).toEqual([]);
  expect(code).toBe(0);
  expect(printed).toHaveLength(bodies.length);
  return printed.map((line) => JSON.parse(line));
}

const ENDPOINTS = ['errors', 'csp', 'reports', 'vitals'] as const;
const outputs = new Map<string, Array<Record<string, any>>>();

beforeAll(async () => {
  for (const endpoint of ENDPOINTS)
    outputs.set(
      endpoint,
      await redact(
        endpoint,
        CORPUS.map((datum) => bodiesWith(datum.text)[endpoint]),
      ),
    );
}, 120_000);

describe.each(ENDPOINTS)('/_telemetry/%s', (endpoint) => {
  it.each(CORPUS.map((datum, i) => [datum.text, i] as const))('keeps nothing of "%s"', (_text, i) => {
    const answer = outputs.get(endpoint)![i];
    expect(answer.refused).toBeUndefined();
    expect(answer.kept.length).toBeGreaterThan(0);
    const output = JSON.stringify(answer);
    for (const secret of CORPUS[i].secrets)
      expect({ secret, leaked: leaks(output, secret) }).toEqual({ secret, leaked: false });
  });
});

it('keeps the error class, the engine wording, the frame in the build and the route', () => {
  for (const answer of outputs.get('errors')!) {
    const error = answer.kept.find((line: Record<string, any>) => line.source === 'error');
    expect(error.message).toMatch(/^Cannot read properties of undefined \(reading '.*'\)$/);
    expect(error.stack).toMatch(/^TypeError: Cannot read properties of undefined/);
    // createRoot is a function name in the fixture bundle (React's).
    expect(error.stack).toContain(`at createRoot (${ASSET}:1:23456)`);
    expect(error.path).toBe('/booking/:id');
    // A notice names the kind by our fingerprint only: nothing the reporter wrote, not even the redacted route.
    // The other notice, once the per-minute cap is reached, names no kind at all.
    const kept = answer.kept.map((line: Record<string, any>) => line.fingerprint);
    for (const { message } of answer.notices as Array<{ message: string }>) {
      const fingerprint = /Fingerprint: (\w+)/.exec(message)?.[1];
      if (fingerprint) expect(kept).toContain(fingerprint);
      else expect(message).toMatch(/^The collector announced \d+ new kinds of browser error .* stops announcing/);
    }
  }
  for (const answer of outputs.get('csp')!) expect(answer.kept[0].documentPath).toBe('/booking/:id');
  for (const answer of outputs.get('vitals')!)
    expect(answer.kept[0]).toMatchObject({ path: '/booking/:id', routeGroup: '/booking' });
});

it('keeps a lone bundle word that stands by itself: the documented limit of an allowlist', async () => {
  // "Will" is a word of the fixture bundle; alone, with nothing removed beside it, it cannot be told from code.
  const [answer] = await redact('errors', [{ message: "Cannot read properties of undefined (reading 'Will')" }]);
  expect(answer.kept[0].message).toBe("Cannot read properties of undefined (reading 'Will')");
});

it('answers a refused body with null and the reason, and --help and a bad flag as the command pattern says', async () => {
  const [answer] = await redact('errors', ['']);
  expect(answer).toEqual({ kept: null, refused: '400 errors: each error needs a non-empty "message"', notices: [] });
  const help: string[] = [];
  expect(await main(['--help'], { out: (line) => help.push(line), err: () => undefined })).toBe(0);
  expect(help.join('\n')).toMatch(
    /usage: npm run redact -- --endpoint <csp\|reports\|errors\|vitals>[\s\S]*Exit codes/,
  );
  const stderr: string[] = [];
  expect(await main(['--endpoint', 'everything'], { out: () => undefined, err: (line) => stderr.push(line) })).toBe(2);
  expect(stderr.join('\n')).toMatch(/--endpoint must be one of csp, reports, errors, vitals[\s\S]*usage:/);
  expect(await main(['--endpoint', 'errors', '--colour'], { out: () => undefined, err: () => undefined })).toBe(2);
});
