/**
 * An SNS stand-in on 127.0.0.1 for the real `@aws-sdk/client-sns`: Publish in the protocol the SDK speaks (the AWS
 * query protocol, form-encoded `Action=Publish`; AWS JSON 1.0 too, should the SDK move to it), keeping each message.
 * `behaviour` makes it hang or fail, for bounds tests.
 */
import { listenAws } from './http';

export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
}

/** Publish's parameters, form fields or JSON alike. */
interface PublishRequest {
  readonly TopicArn: string;
  readonly Subject?: string;
  readonly Message: string;
}

export interface LocalSns {
  readonly url: string;
  readonly published: PublishedMessage[];
  /** `throttle`: 429 ThrottledException, as Publish answers over the topic's rate. */
  behaviour: 'normal' | 'hang' | 'fail' | 'throttle';
  close(): Promise<void>;
}

export async function startLocalSns(): Promise<LocalSns> {
  const local: LocalSns = { url: '', published: [], behaviour: 'normal', close: async () => undefined };
  const server = await listenAws(({ protocol, operation: action, input: params }, res) => {
    if (local.behaviour === 'hang') return;
    const json = protocol !== 'query';
    if (local.behaviour === 'throttle') {
      res.writeHead(429, { 'content-type': 'text/xml' });
      return void res.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded</Message></Error></ErrorResponse>',
      );
    }
    if (local.behaviour === 'fail' || action !== 'Publish') {
      res.writeHead(local.behaviour === 'fail' ? 500 : 400, { 'content-type': 'text/xml' });
      return void res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>${local.behaviour === 'fail' ? 'InternalError' : 'InvalidAction'}</Code><Message>stand-in</Message></Error></ErrorResponse>`,
      );
    }
    const { TopicArn, Subject, Message } = params as PublishRequest;
    local.published.push({ topicArn: TopicArn, subject: Subject, message: Message });
    const id = `local-${local.published.length}`;
    if (json)
      return void res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
        .end(JSON.stringify({ MessageId: id }));
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></PublishResponse>`,
      );
  });
  return Object.assign(local, { url: server.url, close: server.close });
}
