/** `npm run bench`: every benchmark section, one after another, printed as tables. */
import { benchLambdas } from './lambdas';
import { benchSynth } from './synth';
import { benchTests } from './tests';

console.log('# MiKO platform infrastructure benchmarks');
console.log(`node ${process.version}, ${require('node:os').cpus().length} cores, ${new Date().toISOString()}`);
benchSynth();
benchTests();
benchLambdas();
