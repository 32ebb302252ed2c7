import { PRICES } from '../../scripts/cost/prices';
import { errorStoreCostPerMillion, TELEMETRY_ASSUMPTIONS, telemetryCostPerMillion } from '../../scripts/cost/telemetry';
import { template } from '../support/assembly';

it('prices a million telemetry events from the synthesized collector', () => {
  const lines = telemetryCostPerMillion(template('Production', 'Telemetry').toJSON().Resources);
  const collector = lines.find((l) => /Collector Lambda \(256 MB/.test(l.item))!;
  expect(collector.usd).toBeCloseTo(
    1e6 * (PRICES.lambdaRequest + 0.25 * (TELEMETRY_ASSUMPTIONS.collectorBilledMs / 1000) * PRICES.lambdaArmGbSecond),
  );
  const total = lines.reduce((sum, l) => sum + l.usd, 0);
  expect(total).toBeGreaterThan(2);
  expect(total).toBeLessThan(4);
  expect(errorStoreCostPerMillion()).toBeCloseTo(0.625);
});

it('refuses templates without the collector', () => {
  expect(() => telemetryCostPerMillion({})).toThrow(/no telemetry collector/);
});
