/** The canary abort function: a CloudWatch alarm action (thin over abort.ts). */
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { abortCanary, AlarmActionEvent, AbortOutcome } from './abort';

const settings = {
  environment: process.env.MIKO_ENVIRONMENT ?? '',
  kvsArn: process.env.RELEASE_STORE_ARN ?? '',
  auditBucket: process.env.AUDIT_BUCKET ?? '',
};
const topicArn = process.env.NOTICE_TOPIC_ARN ?? '';
const kvs = new CloudFrontKeyValueStoreClient({});
const s3 = new S3Client({});
const sns = new SNSClient({});

export async function handler(event: AlarmActionEvent): Promise<AbortOutcome> {
  return abortCanary(event, settings, {
    kvs,
    s3,
    notify: async (subject, message) => {
      await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
    },
  });
}
