/**
 * The baseline for the synth benchmark: a CDK app with one empty stack (the CLI refuses an app with none),
 * run the same way as bin/app.ts.
 */
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
new Stack(app, 'Empty');
app.synth();
