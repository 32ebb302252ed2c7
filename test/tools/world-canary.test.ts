/**
 * The stand-in world (`npm run stand-ins`, the game day) wires the canary alarms as AWS does: a verdict published to
 * its CloudWatch makes the synthesized canary-check alarm run the real abort function on the world's store.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { startWorld, World } from '../../tools/stand-ins/world';
import { assemblyDir } from '../support/assembly';

let world: World;
beforeAll(async () => {
  world = await startWorld({
    env: 'production',
    assembly: new CloudAssembly(assemblyDir()),
    scale: 100,
    monitor: false,
  });
});
afterAll(() => world?.stop());

it("a published canary verdict aborts the world's canary through its alarm", async () => {
  world.siteAws.store.set('canary', JSON.stringify({ release: 'c-canary', weight: 5 }));
  const client = new CloudWatchClient({
    endpoint: world.operatorEnv.AWS_ENDPOINT_URL_CLOUDWATCH,
    region: 'us-east-1',
    credentials: { accessKeyId: 'gameday', secretAccessKey: 'gameday' },
  });
  await client.send(
    new PutMetricDataCommand({
      Namespace: 'MiKO/Release',
      MetricData: [
        {
          MetricName: 'CanaryCheckFailed',
          Dimensions: [{ Name: 'Environment', Value: 'production' }],
          Value: 1,
          StorageResolution: 1,
          Timestamp: new Date(),
        },
      ],
    }),
  );
  client.destroy();
  const deadline = Date.now() + 10_000;
  while (JSON.parse(world.siteAws.store.get('canary')!).weight !== 0 && Date.now() < deadline) {
    world.cloudWatch.evaluate(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(JSON.parse(world.siteAws.store.get('canary')!)).toMatchObject({ release: 'c-canary', weight: 0 });
  expect(world.canaryNotices[0]).toMatch(/^MiKO production: canary c-canary aborted\n/);
  expect(world.siteAws.auditObjects.size).toBe(1);
});
