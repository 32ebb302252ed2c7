/** Jest globalSetup: see private-tmp.ts. */
export { setup as default } from './private-tmp';
