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
    scale: 10,
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
  // Evaluated as the world does with monitoring on (a 10 s period lasts 1 s here).
  world.cloudWatch.run();
  const deadline = Date.now() + 15_000;
  // The abort sets the weight, tells on-call, then appends its record: wait for the last of the three.
  while (world.siteAws.auditObjects.size === 0 && world.canaryNotices.length < 2 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect(world.canaryNotices.filter((n) => n.startsWith('abort failed'))).toEqual([]);
  expect(JSON.parse(world.siteAws.store.get('canary')!)).toMatchObject({ release: 'c-canary', weight: 0 });
  expect(world.canaryNotices[0]).toMatch(/^MiKO production: canary c-canary aborted\n/);
  expect(world.siteAws.auditObjects.size).toBe(1);
});
