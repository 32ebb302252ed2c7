/**
 * The Google API key rotator step by step against the Google stand-in: which API calls it makes with which bodies,
 * how it follows long-running operations, what it refuses and the exact errors on-call reads. The engine's
 * invariants (AWSCURRENT always works) are google-rotation.test.ts's.
 */
import {
  GOOGLE_API_KEYS_URL,
  GOOGLE_KEY_TEST_URL,
  googleApiKeyRotator,
  GoogleRotatorOptions,
  rotatedKeyId,
} from '../../lambda/rotation/rotators/google-api-key';
import type { SecretValue } from '../../lambda/shared/secret-value';
import { FakeGoogle, GoogleRequest } from '../../tools/stand-ins/google';

const SITE = 'https://app.miko.example.com/';
const RESTRICTIONS = {
  apiTargets: [{ service: 'calendar-json.googleapis.com' }],
  browserKeyRestrictions: { allowedReferrers: ['https://app.miko.example.com/*'] },
};
const TOKEN = 'A1B2C3D4-e5f6-7890-ABCD-ef0123456789';
const PENDING_ID = 'miko-rotated-a1b2c3d4e5f67890abcdef0123456789';

let google: FakeGoogle;
let current: SecretValue;
let keysPath: string;

beforeEach(async () => {
  google = new FakeGoogle();
  await google.start();
  current = google.addKey('set-out-of-band', RESTRICTIONS);
  keysPath = `projects/${google.project}/locations/global/keys`;
});
afterEach(() => google.stop());

function rotator(options: Partial<GoogleRotatorOptions> = {}) {
  return googleApiKeyRotator({
    cloudProject: google.project,
    serviceAccountKey: async () => google.serviceAccountKey(),
    apiKeysUrl: google.url,
    testUrl: `${google.url}/calendar/v3/calendars/holidays/events?maxResults=1`,
    testReferer: SITE,
    timeoutMs: 1_000, // only the hang tests wait for it; a local answer never takes that long
    pollIntervalMs: 1,
    ...options,
  });
}

const calls = (operation: GoogleRequest['operation']) => google.requests.filter((r) => r.operation === operation);
const create = () => rotator().create({ current, token: TOKEN });
const pendingKey = () => google.liveKeys().find((k) => k.name.endsWith(`/${PENDING_ID}`));

describe('the defaults and names', () => {
  test("Google's own endpoints, with the key's test calling a public calendar", () => {
    expect(GOOGLE_API_KEYS_URL).toBe('https://apikeys.googleapis.com');
    expect(GOOGLE_KEY_TEST_URL).toBe(
      'https://www.googleapis.com/calendar/v3/calendars/en.usa%23holiday%40group.v.calendar.google.com/events?maxResults=1',
    );
  });

  test("a key id is the token's lowercase letters and digits behind the rotator's prefix", () => {
    expect(rotatedKeyId(TOKEN)).toBe(PENDING_ID);
  });
});

describe('the service account', () => {
  test('signs a JWT Google accepts (RS256, issuer, audience, cloud-platform scope, ten minutes)', async () => {
    await create();
    const grant = new URLSearchParams(String(calls('token')[0].body));
    expect(grant.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, claims] = grant
      .get('assertion')!
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(claims.exp - claims.iat).toBe(600);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(60);
    // Every API call carries the token the endpoint issued.
    expect(calls('get')[0].headers.authorization).toMatch(/^Bearer ya29\.[0-9a-f]{32}$/);
  });

  test.each([
    [
      'not JSON',
      'not json',
      'the Google rotation credentials are not a service-account JSON key. Fix: store the JSON key file as the secret\'s "value".',
    ],
    [
      'without token_uri',
      JSON.stringify({ client_email: 'a@b', private_key: 'k' }),
      'the Google rotation credentials lack client_email, private_key or token_uri. Fix: store the whole JSON key file.',
    ],
  ])('credentials %s are refused, naming the fix', async (_, key, message) => {
    const refused = rotator({ serviceAccountKey: async () => key }).create({ current, token: TOKEN });
    await expect(refused).rejects.toMatchObject({ name: 'GoogleKeyRejectedError', message });
    expect(google.requests).toEqual([]);
  });

  test('a token answer without a token is an error, not a call without one', async () => {
    google.failNext('token', 'empty');
    await expect(create()).rejects.toThrow(/^get a Google access token failed: the answer has no token$/);
  });
});

describe('create', () => {
  test("makes the key under the token's id with the current key's restrictions, and stores its string and name", async () => {
    google.operationPolls = 2;
    const made = await create();
    const [post] = calls('create');
    expect(post.method).toBe('POST');
    expect(post.path).toBe(`/v2/${keysPath}`);
    expect(post.query).toEqual({ keyId: PENDING_ID });
    expect(post.body).toEqual({ displayName: 'MiKO rotated A1B2C3D4', restrictions: RESTRICTIONS });
    expect(calls('poll')).toHaveLength(2); // not done, then done
    expect(made).toEqual({ value: pendingKey()!.keyString, keyId: `${keysPath}/${PENDING_ID}` });
    expect(google.accepts(made.value, SITE)).toBe(true);
  });

  test('a re-run finds the key it made and creates no second one', async () => {
    const first = await create();
    google.requests.length = 0;
    expect(await create()).toEqual(first);
    expect(calls('create')).toEqual([]);
    expect(calls('get').map((r) => r.path)).toEqual([`/v2/${keysPath}/${PENDING_ID}`]); // not the current key's
  });

  test('a key made by another run between the read and the create (409) is reused', async () => {
    let other: SecretValue | undefined;
    google.before('create', () => (other = google.addKey(PENDING_ID, RESTRICTIONS)));
    expect(await create()).toEqual({ value: other!.value, keyId: `${keysPath}/${PENDING_ID}` });
    expect(calls('poll')).toEqual([]);
  });

  test('refuses without the current key id, or when the current key is gone', async () => {
    await expect(rotator().create({ current: { value: current.value }, token: TOKEN })).rejects.toMatchObject({
      name: 'GoogleKeyRejectedError',
      message:
        'the current value has no keyId, so its restrictions cannot be copied. Fix: set {"value","keyId"} (README "Credentials").',
    });
    await expect(
      rotator().create({ current: { ...current, keyId: `${keysPath}/deleted-meanwhile` }, token: TOKEN }),
    ).rejects.toThrow(
      'the current key no longer exists at Google. Fix: set a working key out of band (README "Credentials").',
    );
    expect(calls('create')).toEqual([]);
  });

  test.each([
    ['get', 500, 'read a Google API key failed with HTTP 500'],
    ['get', 'redirect', /^read a Google API key failed with HTTP 302: the provider answered with a redirect/],
    ['create', 500, 'create a Google API key failed with HTTP 500'],
    ['create', 'redirect', /^create a Google API key failed with HTTP 302: the provider answered with a redirect/],
    ['keyString', 'empty', /^read a Google API key string failed: the answer has no key$/],
  ] as const)("a %s answered %s fails with on-call's message", async (operation, mode, message) => {
    google.failNext(operation, mode);
    await expect(create()).rejects.toThrow(message);
  });

  test('an operation that ends in error fails the step', async () => {
    google.operationError = { code: 9, message: 'FAILED_PRECONDITION' };
    await expect(create()).rejects.toThrow(/^create a Google API key failed: the operation failed \(code 9\)$/);
  });

  test('an operation that never finishes is given up after 20 polls', async () => {
    google.operationPolls = Infinity;
    await expect(create()).rejects.toThrow(/^create a Google API key failed: the operation did not finish in time$/);
    expect(calls('poll')).toHaveLength(20);
  });
});

describe('set', () => {
  test("re-applies the current key's restrictions, edited meanwhile, to the pending key", async () => {
    const pending = await create();
    const edited = { ...RESTRICTIONS, apiTargets: [{ service: 'maps-backend.googleapis.com' }] };
    google.addKey('set-out-of-band', edited); // the same id: replaced, as an edit in the console would
    await rotator().set({ current, pending });
    const [patched] = calls('patch');
    expect(patched.path).toBe(`/v2/${keysPath}/${PENDING_ID}`);
    expect(patched.query).toEqual({ updateMask: 'restrictions' });
    expect(patched.body).toEqual({ restrictions: edited });
    expect(pendingKey()!.restrictions).toEqual(edited);
  });

  test.each([
    [404, 'the pending key no longer exists at Google. Fix: start a new rotation (npm run rotate).'],
    [500, 'restrict a Google API key failed with HTTP 500'],
    ['redirect', /^restrict a Google API key failed with HTTP 302: the provider answered with a redirect/],
  ] as const)("a patch answered %s fails with on-call's message", async (mode, message) => {
    const pending = await create();
    google.failNext('patch', mode);
    await expect(rotator().set({ current, pending })).rejects.toThrow(message);
  });

  test('a restriction that ends in error fails the step', async () => {
    const pending = await create();
    google.operationError = { code: 3, message: 'INVALID_ARGUMENT' };
    await expect(rotator().set({ current, pending })).rejects.toThrow(
      /^restrict a Google API key failed: the operation failed \(code 3\)$/,
    );
  });
});

describe('test', () => {
  test("passes a key Google accepts, sent in Google's header with the site's referrer", async () => {
    const pending = await create();
    await rotator().test(pending);
    const [prove] = calls('prove');
    expect(prove.headers['x-goog-api-key']).toBe(pending.value);
    expect(prove.headers.referer).toBe(SITE);
  });

  test.each([400, 401, 403])('a key Google refuses with HTTP %s is rejected, not retried', async (status) => {
    const pending = await create();
    google.failNext('prove', status);
    await expect(rotator().test(pending)).rejects.toMatchObject({
      name: 'GoogleKeyRejectedError',
      message: `Google rejected the pending key (HTTP ${status})`,
    });
  });

  test.each([
    [500, 'prove a Google API key failed with HTTP 500'],
    ['redirect', /^prove a Google API key failed with HTTP 302: the provider answered with a redirect/],
  ] as const)('a test answered %s is a provider failure', async (mode, message) => {
    const pending = await create();
    google.failNext('prove', mode);
    await expect(rotator().test(pending)).rejects.toMatchObject({ name: 'ProviderError' });
    google.failNext('prove', mode);
    await expect(rotator().test(pending)).rejects.toThrow(message);
  });
});

describe('retire', () => {
  const liveIds = () => google.liveKeys().map((k) => k.name.split('/').pop());

  test('deletes the retiring key and abandoned rotations, never what is kept or keys it did not make', async () => {
    const pending = await create();
    google.addKey('miko-rotated-abandoned', RESTRICTIONS);
    google.addKey('someone-elses-key', RESTRICTIONS);
    const retiring = google.addKey('miko-rotated-old', RESTRICTIONS);
    google.operationPolls = 2;
    google.requests.length = 0;
    // The kept key named by project number, as Google lists it: compared by key id.
    const keptByNumber = { ...pending, keyId: pending.keyId!.replace(google.project, google.projectNumber) };
    await rotator().retire({ keep: [current, keptByNumber, { value: 'no id' }], retiring });
    expect(liveIds().sort()).toEqual([PENDING_ID, 'set-out-of-band', 'someone-elses-key']);
    expect(
      calls('delete')
        .map((r) => r.path)
        .sort(),
    ).toEqual([`/v2/${keysPath}/miko-rotated-abandoned`, `/v2/${keysPath}/miko-rotated-old`]);
    expect(calls('poll')).toHaveLength(4); // each delete followed to its end
  });

  test("a retiring key made out of band is deleted too (it is AWSPREVIOUS's, falling off)", async () => {
    const pending = await create();
    await rotator().retire({ keep: [pending], retiring: current });
    expect(liveIds()).toEqual([PENDING_ID]);
  });

  test('with nothing retiring, only abandoned rotations are deleted', async () => {
    const pending = await create();
    google.addKey('miko-rotated-abandoned', RESTRICTIONS);
    await rotator().retire({ keep: [current, pending] });
    expect(calls('delete').map((r) => r.path)).toEqual([`/v2/${keysPath}/miko-rotated-abandoned`]);
    expect(liveIds().sort()).toEqual([PENDING_ID, 'set-out-of-band']);
  });

  test('a key deleted already (a re-run) is not an error', async () => {
    const retiring = google.addKey('miko-rotated-old', RESTRICTIONS);
    google.failNext('delete', 404);
    await rotator().retire({ keep: [current], retiring });
    expect(calls('poll')).toEqual([]);
  });

  test('an empty list answer still retires the retiring key', async () => {
    const retiring = google.addKey('miko-rotated-old', RESTRICTIONS);
    google.failNext('list', 'empty');
    await rotator().retire({ keep: [current], retiring });
    expect(liveIds()).toEqual(['set-out-of-band']);
  });

  test.each([
    [500, 'delete a Google API key failed with HTTP 500'],
    ['redirect', /^delete a Google API key failed with HTTP 302: the provider answered with a redirect/],
  ] as const)("a delete answered %s fails with on-call's message", async (mode, message) => {
    const retiring = google.addKey('miko-rotated-old', RESTRICTIONS);
    google.failNext('delete', mode);
    await expect(rotator().retire({ keep: [current], retiring })).rejects.toThrow(message);
  });

  test('a delete that ends in error fails the step', async () => {
    const retiring = google.addKey('miko-rotated-old', RESTRICTIONS);
    google.operationError = { code: 13, message: 'INTERNAL' };
    await expect(rotator().retire({ keep: [current], retiring })).rejects.toThrow(
      /^delete a Google API key failed: the operation failed \(code 13\)$/,
    );
  });
});
