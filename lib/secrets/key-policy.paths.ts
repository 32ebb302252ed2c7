/**
 * The platform key (key-policy.ts): losing it makes every backup and secret unreadable, so only CloudFormation's
 * execution role may schedule its deletion, disable it or change its policy (the key policy delegates these to the
 * account's IAM; no role of the app is granted them). Nobody outside the account can use it.
 */
import { PathCatalogue, resource } from '../shared/runtime-paths';

const platformKey = resource('Data', 'PlatformKey');

export const catalogue: PathCatalogue = {
  paths: [],
  forbidden: [
    {
      id: 'only-cloudformation-administers-the-key',
      what: 'no role but CloudFormation execution role can schedule deletion of, disable or re-policy the platform key',
      principal: { everyRole: true, except: ['bootstrap/CloudFormationExecutionRole'] },
      actions: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy'],
      resource: platformKey,
    },
    {
      id: 'outsider-uses-no-key',
      what: 'no principal of another account can use or administer the platform key',
      principal: { outsider: 'arn:aws:iam::999999999999:root' },
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant'],
      resource: platformKey,
    },
  ],
};
