/** The dummy credentials every local SDK client signs with, and the server helpers tests import from here. */
export { listen as startLocalServer, readBody, refusedPort } from './http';
export type { LocalServer } from './http';
export { startCloudWatch } from './cloudwatch';
export type { RecordedDatum } from './cloudwatch';

/** Dummy credentials and region so real SDK clients sign requests to a local endpoint without any AWS account. */
export const DUMMY_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
  AWS_SECRET_ACCESS_KEY: 'local-test-only',
  AWS_REGION: 'us-east-1',
};
