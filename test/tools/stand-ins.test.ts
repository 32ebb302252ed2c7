/**
 * The stand-ins the game day connects, through the real SDK clients: S3 versioning as S3 answers it, Secrets
 * Manager's ListSecrets, CloudWatch judging an alarm period by period on a scaled clock, a provider outage.
 */
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FakeCloudWatch } from '../../tools/stand-ins/cloudwatch-alarm-evaluator';
import { startLocalDynamoDb } from '../../tools/stand-ins/dynamodb';
import { FakeSecretsManager } from '../../tools/stand-ins/secrets-manager';
import { startLocalSns } from '../../tools/stand-ins/sns';
import { FakeSupabase } from '../../tools/stand-ins/supabase';
import { VersionedBucket } from '../../tools/stand-ins/versioned-bucket';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('the versioned bucket', () => {
  let bucket: VersionedBucket;
  let s3: S3Client;
  beforeAll(async () => {
    bucket = new VersionedBucket('site');
    s3 = new S3Client({ endpoint: await bucket.start(), forcePathStyle: true, region: 'us-east-1', credentials });
  });
  afterAll(async () => {
    s3.destroy();
    await bucket.stop();
  });

  it('hides a deleted object behind a marker, keeps its versions, and brings it back when the marker is removed', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'site',
        Key: 'a.html',
        Body: 'one',
        CacheControl: 'no-cache',
        ContentType: 'text/html',
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'site',
        Key: 'a.html',
        Body: 'two',
        CacheControl: 'no-cache',
        ContentType: 'text/html',
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: 'site', Key: 'a.html' }));
    await expect(s3.send(new GetObjectCommand({ Bucket: 'site', Key: 'a.html' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'site', Prefix: 'a' }));
    expect(listed.Versions?.map((v) => v.IsLatest)).toEqual([false, false]);
    expect(listed.DeleteMarkers).toHaveLength(1);
    expect(listed.DeleteMarkers![0].IsLatest).toBe(true);

    await s3.send(
      new DeleteObjectCommand({ Bucket: 'site', Key: 'a.html', VersionId: listed.DeleteMarkers![0].VersionId }),
    );
    const back = await s3.send(new GetObjectCommand({ Bucket: 'site', Key: 'a.html' }));
    expect(await back.Body!.transformToString()).toBe('two');

    // A copy of an older version becomes current, with its metadata.
    const oldest = listed.Versions!.at(-1)!.VersionId!;
    await s3.send(
      new CopyObjectCommand({ Bucket: 'site', Key: 'a.html', CopySource: `site/a.html?versionId=${oldest}` }),
    );
    const restored = await s3.send(new GetObjectCommand({ Bucket: 'site', Key: 'a.html' }));
    expect(await restored.Body!.transformToString()).toBe('one');
    expect(restored.CacheControl).toBe('no-cache');
    expect(bucket.current.get('a.html')!.body.toString()).toBe('one');
  });
});

describe('Secrets Manager ListSecrets', () => {
  it('filters by name prefix and pages', async () => {
    const fake = new FakeSecretsManager();
    const sm = new SecretsManagerClient({ endpoint: await fake.start(), region: 'us-east-1', credentials });
    try {
      for (const name of ['miko/production/a', 'miko/production/b', 'miko/production/c', 'miko/staging/a'])
        fake.createSecret(name, '{"value":"x"}');
      const first = await sm.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['miko/production/'] }], MaxResults: 2 }),
      );
      expect(first.SecretList?.map((s) => s.Name)).toEqual(['miko/production/a', 'miko/production/b']);
      const second = await sm.send(
        new ListSecretsCommand({
          Filters: [{ Key: 'name', Values: ['miko/production/'] }],
          NextToken: first.NextToken,
        }),
      );
      expect(second.SecretList?.map((s) => s.Name)).toEqual(['miko/production/c']);
      expect(second.NextToken).toBeUndefined();
    } finally {
      sm.destroy();
      await fake.stop();
    }
  });
});

describe('CloudWatch evaluating an alarm on a scaled clock', () => {
  it('goes to ALARM when DatapointsToAlarm periods breach, and back to OK, judging whole periods only', async () => {
    const origin = Date.now() - 100_000;
    const alarm = {
      AlarmName: 'miko-production-critical-site-down',
      Namespace: 'MiKO/Synthetics',
      MetricName: 'Failure',
      Dimensions: [{ Name: 'Target', Value: 'site' }],
      Statistic: 'Maximum',
      Period: 10,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      critical: true,
    };
    // Scale 10: a 10 s period lasts 1 s of local time.
    const cw = new FakeCloudWatch([alarm], 10, origin);
    const client = new CloudWatchClient({ endpoint: await cw.start(), region: 'us-east-1', credentials });
    try {
      const put = (atMs: number, value: number, target = 'site') =>
        client.send(
          new PutMetricDataCommand({
            Namespace: 'MiKO/Synthetics',
            MetricData: [
              {
                MetricName: 'Failure',
                Value: value,
                Timestamp: new Date(atMs),
                Dimensions: [{ Name: 'Target', Value: target }],
              },
            ],
          }),
        );
      await put(origin + 10_100, 1); // period 10
      await put(origin + 11_100, 1, 'asset'); // another target: not this alarm's
      cw.evaluate(origin + 12_500); // periods 10 and 11 judged: one breach of two needed
      expect(cw.states.get(alarm.AlarmName)!.state).toBe('OK');
      await put(origin + 11_200, 1); // period 11
      cw.evaluate(origin + 12_500);
      expect(cw.states.get(alarm.AlarmName)!.state).toBe('ALARM');
      const described = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'miko-production-' }));
      expect(described.MetricAlarms?.[0]).toMatchObject({
        StateValue: 'ALARM',
        StateReason: expect.stringMatching(/2 of the last 2/),
      });
      await put(origin + 12_100, 0);
      await put(origin + 13_100, 0);
      cw.evaluate(origin + 14_500);
      expect(cw.states.get(alarm.AlarmName)!.state).toBe('OK');
      expect(cw.transitions.map((t) => t.to)).toEqual(['ALARM', 'OK']);
    } finally {
      client.destroy();
      await cw.stop();
    }
  });
});

describe('a provider outage', () => {
  it('answers 503 while failing, drops connections while down, and serves again when cleared', async () => {
    const supabase = new FakeSupabase();
    const url = await supabase.start();
    const key = supabase.addKey('health', 'publishable').value;
    const health = () => fetch(`${url}/rest/v1/rpc/health_check`, { headers: { apikey: key } });
    try {
      expect((await health()).status).toBe(200);
      supabase.outage = 'failing';
      expect((await health()).status).toBe(503);
      supabase.outage = 'down';
      await expect(health()).rejects.toThrow(/fetch failed/);
      supabase.outage = undefined;
      expect((await health()).status).toBe(200);
    } finally {
      await supabase.stop();
    }
  });
});

describe('the AWS request loop the stand-ins share (listenAws)', () => {
  const post = (url: string, headers: Record<string, string>, body: string) =>
    fetch(url, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('hands each stand-in the decoded call, and each refuses a protocol its service does not speak', async () => {
    const dynamo = await startLocalDynamoDb();
    const sns = await startLocalSns();
    try {
      const json = (target: string) => ({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target });
      const put = { TableName: 't', Item: { id: { S: 'a' } } };
      expect(await post(dynamo.url, json('DynamoDB_20120810.PutItem'), JSON.stringify(put))).toEqual({
        status: 200,
        body: {},
      });
      expect(dynamo.tables.get('t')?.get('a')).toEqual(put.Item);
      const query = { 'content-type': 'application/x-www-form-urlencoded' };
      expect((await post(dynamo.url, query, 'Action=PutItem')).body.__type).toMatch(/#UnknownOperationException$/);
      expect((await post(dynamo.url, json('DynamoDB_20120810.PutItem'), '{not json')).body).toMatchObject({
        __type: 'SerializationException',
      });
      await fetch(sns.url, { method: 'POST', headers: query, body: 'Action=Publish&TopicArn=arn%3At&Message=hi' });
      await post(sns.url, json('AmazonSNS.Publish'), JSON.stringify({ TopicArn: 'arn:j', Message: 'ho' }));
      expect(sns.published).toEqual([
        { topicArn: 'arn:t', message: 'hi' },
        { topicArn: 'arn:j', message: 'ho' },
      ]);
    } finally {
      await dynamo.close();
      await sns.close();
    }
  });
});
