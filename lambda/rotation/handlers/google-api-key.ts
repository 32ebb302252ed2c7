/** Rotation function for the Google API key (API Keys API, service-account credentials). */
import { currentValueReader, requiredEnv, rotationHandler } from '../handler';
import { googleApiKeyRotator } from '../rotators/google-api-key';

export const handler = rotationHandler('google-api-key', (sm) =>
  googleApiKeyRotator({
    cloudProject: requiredEnv('GOOGLE_CLOUD_PROJECT'),
    serviceAccountKey: currentValueReader(sm, requiredEnv('GOOGLE_CREDENTIALS_SECRET_ID')),
    testReferer: requiredEnv('GOOGLE_TEST_REFERER'),
  }),
);
