/** Jest globalTeardown: see private-tmp.ts. */
export { teardown as default } from './private-tmp';
