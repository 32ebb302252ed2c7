/**
 * The new-kind warning, sent when the store says "new" (an alarm can say something is new, not what). It holds only
 * our values (fingerprint, live release from the routing header, counts), never a report's words, links or release
 * ids: reports are outsiders' input (docs/readme/telemetry-trust.md). Capped by notice-caps.ts; the
 * NewClientErrorKinds alarm backs up a failed publish.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { withDeadline } from './deadline';
import type { CapName } from './notice-caps';
import { queryDefinitionName } from '../../lib/telemetry/queries';

export type Notice =
  | {
      readonly kind: 'new-kind';
      readonly envName: string;
      readonly fingerprint: string;
      readonly liveRelease: string;
      /** New-kind notices for this release so far, this one included, and the cap. */
      readonly releaseCount: number;
      readonly releaseCap: number;
    }
  | {
      readonly kind: 'cap-reached';
      readonly envName: string;
      readonly liveRelease: string;
      readonly cap: CapName;
      readonly limit: number;
    };

export type Notifier = (notice: Notice) => Promise<{ sent: boolean; failure?: string }>;

export interface SnsNotifierSettings {
  readonly topicArn: string;
  readonly timeoutMs: number;
}

const CAP_WORDS: Record<CapName, string> = {
  perMinute: 'this minute',
  perRelease: 'this release',
  perDay: 'today',
};

/** The Logs Insights console of the topic's region; the saved queries are listed there by name. */
function logsInsightsLink(topicArn: string): string {
  const region = topicArn.split(':')[3] || 'us-east-1';
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:logs-insights`;
}

export function noticeMessage(notice: Notice, topicArn: string): { subject: string; message: string } {
  const link = logsInsightsLink(topicArn);
  const forged =
    'Browser reports can be forged by anyone: confirm in the saved query before acting. Critical pages and rollbacks never rest on them.';
  if (notice.kind === 'cap-reached') {
    return {
      subject: `[warning] MiKO ${notice.envName}: new-kind notices capped (${notice.limit} ${CAP_WORDS[notice.cap]})`,
      message: [
        `The collector announced ${notice.limit} new kinds of browser error ${CAP_WORDS[notice.cap]} in ${notice.envName} and stops announcing until the cap's window ends.`,
        `Live release: ${notice.liveRelease}`,
        `Further new kinds are still stored and counted (metric NewClientErrorKinds).`,
        `Saved query: ${queryDefinitionName(notice.envName, 'errors-of-this-release')} — ${link}`,
        forged,
      ].join('\n'),
    };
  }
  return {
    // SNS subjects: ASCII, at most 100 characters; every part is ours (hex fingerprint, an id of the release pattern).
    subject:
      `[warning] MiKO ${notice.envName}: new client error ${notice.fingerprint} in release ${notice.liveRelease}`.slice(
        0,
        100,
      ),
    message: [
      `A kind of browser error not seen before in release ${notice.liveRelease} of ${notice.envName} was reported.`,
      `Fingerprint: ${notice.fingerprint}`,
      `Live release: ${notice.liveRelease} (new-kind notice ${notice.releaseCount} of at most ${notice.releaseCap} for it)`,
      `Saved query: ${queryDefinitionName(notice.envName, 'errors-of-this-fingerprint')} with ${notice.fingerprint} — ${link}`,
      forged,
    ].join('\n'),
  };
}

export function snsNotifier(client: SNSClient, settings: SnsNotifierSettings): Notifier {
  return async (notice) => {
    const { subject, message } = noticeMessage(notice, settings.topicArn);
    try {
      await withDeadline('SNS Publish', settings.timeoutMs, (abortSignal) =>
        client.send(new PublishCommand({ TopicArn: settings.topicArn, Subject: subject, Message: message }), {
          abortSignal,
        }),
      );
      return { sent: true };
    } catch (error) {
      return { sent: false, failure: (error as Error).name || 'Error' };
    }
  };
}
