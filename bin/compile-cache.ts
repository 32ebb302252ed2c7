/**
 * Imported first by the app's entry points: Node's on-disk compile cache (the CDK CLI's too; NODE_COMPILE_CACHE)
 * keeps the compiled code of aws-cdk-lib's thousands of files, so a synth after the first skips most compilation.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
