/** `npm run bench`: every benchmark section, one after another, printed as tables. */
import { benchHealth } from './health';
import { benchSynth } from './synth';

console.log('# MiKO platform infrastructure benchmarks');
console.log(`node ${process.version}, ${require('node:os').cpus().length} cores, ${new Date().toISOString()}`);
benchSynth();
benchHealth().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
