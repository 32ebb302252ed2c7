/**
 * Jest setupFiles: the small apps tests build in process (one stack, a construct or two, read through
 * Template.fromStack) skip CDK's built-in CloudFormation Validate. Starting its engine costs ~2.5 s of CPU per file,
 * and a fragment of a stack is not what ships: the whole app is validated, findings as errors, wherever it is built
 * through `buildApp` (the suite's synthesized app, `npm run synth`, the deploy), which registers the validator
 * itself and so ignores this switch (test/shared/cached-cloudformation-validate.test.ts).
 */
process.env.CDK_VALIDATION = 'false';
