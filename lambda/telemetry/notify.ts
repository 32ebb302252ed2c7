/**
 * The new-kind warning, sent by the collector itself the moment the store says "new": a metric alarm can say that
 * *something* is new but not *what*, and the person reading the warning needs the fingerprint and the release to
 * decide on a rollback. The NewClientErrorKinds alarm stays as the backstop when this publish fails.
 * At most a few per minute per execution environment, so a bad release with fifty new kinds sends a handful of
 * messages and the alarm, not fifty e-mails.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { withDeadline } from './deadline';
import type { ClientError } from './intake';

export interface NewKindNotice {
  readonly envName: string;
  readonly fingerprint: string;
  readonly error: ClientError;
}

export type Notifier = (notice: NewKindNotice) => Promise<{ sent: boolean; failure?: string }>;

export interface SnsNotifierSettings {
  readonly topicArn: string;
  readonly timeoutMs: number;
  readonly maxPerMinute: number;
}

export function newKindMessage({ envName, fingerprint, error }: NewKindNotice): { subject: string; message: string } {
  const firstFrame = error.stack
    ?.split('\n')
    .find((line) => /:\d+:\d+/.test(line))
    ?.trim();
  return {
    // SNS subjects: ASCII, at most 100 characters.
    subject: `[warning] MiKO ${envName}: new client error ${fingerprint} in release ${error.release}`.slice(0, 100),
    message: [
      `A kind of browser error not seen in ${envName} recently appeared.`,
      `Fingerprint: ${fingerprint}`,
      `Release: ${error.release} (if it is the release just deployed, rolling back is the first move: npm run rollback -- --env ${envName})`,
      `Message (redacted): ${error.message}`,
      ...(firstFrame ? [`Top frame: ${firstFrame}`] : []),
      `Page: ${error.path} · ${error.browser} · source ${error.source}`,
      `Triage: CloudWatch Logs Insights, saved query "miko-${envName}/errors-of-this-fingerprint" with ${fingerprint}.`,
    ].join('\n'),
  };
}

export function snsNotifier(client: SNSClient, settings: SnsNotifierSettings, now: () => number = Date.now): Notifier {
  let windowStart = 0;
  let sentInWindow = 0;
  return async (notice) => {
    const t = now();
    if (t - windowStart >= 60_000) {
      windowStart = t;
      sentInWindow = 0;
    }
    if (sentInWindow >= settings.maxPerMinute) return { sent: false, failure: 'rate-limited' };
    sentInWindow++;
    const { subject, message } = newKindMessage(notice);
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
