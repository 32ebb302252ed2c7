/** `npm run cost`'s backup lines: task time from the schedules' cron and task size, vault storage, the NAT option. */
import { DEFAULT_BACKUP_ASSUMPTIONS, estimateMonthlyCost } from '../../scripts/cost/estimate';
import { PRICES } from '../../scripts/cost/prices';
import { drillReadsUsd, fullPhotoRestoreUsd, photoCostLines, photoMonth } from '../../scripts/cost/photos';

const PROBER = { secondsPerInvocation: 65, putMetricDataCallsPerInvocation: 6, customMetrics: 10 };
const task = { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '1024', Memory: '2048' } };
const schedule = (name: string, cron: string, publicIp: boolean) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: {
    Name: name,
    ScheduleExpression: cron,
    Target: {
      EcsParameters: {
        TaskDefinitionArn: { Ref: 'Task' },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: publicIp ? 'ENABLED' : 'DISABLED' } },
      },
    },
  },
});
const find = (lines: ReturnType<typeof estimateMonthlyCost>, item: RegExp) => lines.find((l) => item.test(l.item))!;

it('prices a nightly backup and a weekly drill by their task-hours, with the public IPv4 while they run', () => {
  const lines = estimateMonthlyCost(
    [
      {
        Resources: {
          Task: task,
          Nightly: schedule('miko-x-backup', 'cron(15 3 * * ? *)', true),
          Weekly: schedule('miko-x-restore-drill', 'cron(15 5 ? * SUN *)', true),
        },
      },
    ],
    PROBER,
  );
  const nightlyHours = ((365 / 12) * DEFAULT_BACKUP_ASSUMPTIONS.minutesPerRun.backup) / 60;
  expect(find(lines, /backup task/).quantity).toBeCloseTo(nightlyHours, 1);
  expect(find(lines, /backup task/).monthlyUsd).toBeCloseTo(
    nightlyHours * (PRICES.fargateArmVcpuHour + 2 * PRICES.fargateArmGbHour + PRICES.publicIpv4Hour),
    5,
  );
  expect(find(lines, /restore-drill task/).quantity).toBeCloseTo(
    ((365 / 12 / 7) * DEFAULT_BACKUP_ASSUMPTIONS.minutesPerRun['restore-drill']) / 60,
    1,
  );
});

it('prices the vault from its lock retention and lifecycle, and a NAT gateway when the fixed egress IP is on', () => {
  const vault = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Days: 90 } } },
      LifecycleConfiguration: { Rules: [{ Transitions: [{ TransitionInDays: 30 }] }] },
    },
  };
  const lines = estimateMonthlyCost([{ Resources: { Vault: vault, Nat: { Type: 'AWS::EC2::NatGateway' } } }], PROBER);
  const gb = DEFAULT_BACKUP_ASSUMPTIONS.dumpGb;
  expect(find(lines, /vault storage/).monthlyUsd).toBeCloseTo(
    gb * (30 * PRICES.s3StandardGbMonth + 90 * PRICES.s3GlacierInstantRetrievalGbMonth),
  );
  expect(find(lines, /NAT gateway/).monthlyUsd).toBeGreaterThan(32);
});

it('prices each interface endpoint per zone it sits in, all month', () => {
  const endpoint = (zones: number) => ({
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: { VpcEndpointType: 'Interface', SubnetIds: Array.from({ length: zones }, (_, i) => `subnet-${i}`) },
  });
  const gateway = { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway' } };
  const lines = estimateMonthlyCost([{ Resources: { A: endpoint(1), B: endpoint(2), S3: gateway } }], PROBER);
  expect(find(lines, /Interface VPC endpoints/).quantity).toBe(3);
  expect(find(lines, /Interface VPC endpoints/).monthlyUsd).toBeCloseTo(3 * 730 * PRICES.vpcInterfaceEndpointAzHour, 0);
});

it('prices the photos: 50 GB growing 2 GB a month, Standard for 30 days, then Glacier Instant Retrieval', () => {
  const first = photoMonth(1);
  expect(first).toMatchObject({ totalGb: 52, standardGb: 52, coldGb: 0 });
  const year = photoMonth(12);
  expect(year.totalGb).toBe(74);
  expect(year.standardGb).toBeCloseTo(2 * (30 / (365 / 12)), 5);
  expect(year.coldGb).toBeCloseTo(74 - year.standardGb, 5);
  const storage = year.standardGb * PRICES.s3StandardGbMonth + year.coldGb * PRICES.s3GlacierInstantRetrievalGbMonth;
  expect(year.usd).toBeGreaterThan(storage);
  expect(year.usd).toBeLessThan(storage + 0.05);
  // Far below keeping it all in Standard (74 GB × $0.023 = $1.70).
  expect(year.usd).toBeLessThan(0.5);
  expect(fullPhotoRestoreUsd(12)).toBeCloseTo(
    year.coldGb * PRICES.s3GlacierIrRetrievalGb + ((74 * 1024) / 3 / 1000) * PRICES.s3GlacierIrGetPer1000,
    5,
  );
  // Reading every cold photo back each week would cost more than keeping them; the drill reads a 13th of them.
  expect(drillReadsUsd(12, undefined, 1)).toBeCloseTo((365 / 12 / 7) * fullPhotoRestoreUsd(12), 10);
  expect(drillReadsUsd(12, undefined, 1)).toBeGreaterThan(year.usd);
  expect(drillReadsUsd(12)).toBeCloseTo(drillReadsUsd(12, undefined, 1) / 13, 10);
  expect(photoCostLines().join('\n')).toMatch(/month 12:  74 GB .* Glacier IR\)  \$ 0\.\d\d\/month/);
});
