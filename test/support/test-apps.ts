/**
 * Jest setupFiles: the small apps tests build in process skip CDK's built-in CloudFormation Validate: its engine is
 * slow to start, and a fragment of a stack is not what ships. `buildApp` (the suite's app, synth, the deploy) registers
 * the validator itself and ignores this switch (test/tools/cached-cloudformation-validate.test.ts).
 */
process.env.CDK_VALIDATION = 'false';
