import { RotationStep } from '../../lambda/rotation/engine';
import { googleApiKeyRotator } from '../../lambda/rotation/rotators/google-api-key';
import { FakeGoogle, GoogleOperation } from '../../tools/stand-ins/google';
import { rotationInvariantSuite } from './rotation-suite';

const SITE = 'https://app.miko.example.com/';
const RESTRICTIONS = {
  apiTargets: [{ service: 'calendar-json.googleapis.com' }],
  browserKeyRestrictions: { allowedReferrers: ['https://app.miko.example.com/*'] },
};

// Each step's provider calls fail in turn, with each failure mode Google has.
const FAILURES: Record<RotationStep, [GoogleOperation, 'error500' | 'hang' | 'reject']> = {
  createSecret: ['create', 'error500'],
  setSecret: ['patch', 'hang'],
  testSecret: ['prove', 'reject'],
  finishSecret: ['token', 'reject'],
};

rotationInvariantSuite('Google API key', async () => {
  const google = new FakeGoogle();
  const url = await google.start();
  const initial = google.addKey('set-out-of-band', RESTRICTIONS);
  const rotator = googleApiKeyRotator({
    cloudProject: google.project,
    serviceAccountKey: async () => google.serviceAccountKey(),
    apiKeysUrl: url,
    testUrl: `${url}/calendar/v3/calendars/holidays/events?maxResults=1`,
    testReferer: SITE,
    timeoutMs: 1_000, // a hang costs the test 1 s; a loaded runner's local answer never takes that long
    pollIntervalMs: 5,
  });
  return {
    initialSecretString: JSON.stringify(initial),
    rotator,
    accepts: async (value) => google.accepts(value.value, SITE),
    failProviderAt: (step) => google.failNext(...FAILURES[step]),
    throttleProviderAtCreate: () => google.failNext('create', 'throttle'),
    mintedValues: () => google.mintedValues(),
    extraInvariants() {
      // Never an unrestricted key; at most current, previous and one pending are live.
      for (const key of google.liveKeys()) expect(key.restrictions).toEqual(RESTRICTIONS);
      expect(google.liveKeys().length).toBeLessThanOrEqual(3);
    },
    close: () => google.stop(),
  };
});
