/**
 * Every dead-letter path of both environments, decided by the IAM engine over the synthesized templates: the pager
 * Lambda writing a page it could not deliver, and SNS writing a message it could not deliver, into the
 * KMS-encrypted undelivered-alerts queue, each with its SQS-to-KMS leg.
 */
import { assemblyDir } from '../support/assembly';
import { loadCatalogue } from '../../scripts/permissions/catalogue';
import { permissionMatrix } from '../../scripts/permissions/matrix';
import { permissionModel } from '../../scripts/permissions/model';

const isDeadLetterPath = (id: string) => /dead-letter$|redrive$/.test(id);

describe.each(['staging', 'production'] as const)('dead-letter paths of %s', (envName) => {
  it('are all allowed, the key leg through SQS included', async () => {
    const model = permissionModel(assemblyDir(), envName);
    const matrix = await permissionMatrix(model, loadCatalogue(), { only: isDeadLetterPath });
    expect(matrix.failures).toEqual([]);
    const keyLegs = matrix.rows.filter((row) => row.action.startsWith('kms:'));
    expect(keyLegs.length).toBeGreaterThan(0);
    expect(keyLegs.every((row) => row.decision === 'Allowed')).toBe(true);
  });
});

it("the pager's dead-letter path writes the undelivered-alerts queue through SQS's use of the platform key", async () => {
  const model = permissionModel(assemblyDir(), 'production');
  const matrix = await permissionMatrix(model, loadCatalogue(), {
    only: (id) => id === 'TopicsPagerFunction-dead-letter',
  });
  const rows = matrix.rows.map((row) => `${row.action} ${row.via ?? ''} ${row.decision}`.replace(/\s+/g, ' '));
  expect(rows).toEqual([
    'sqs:SendMessage Allowed',
    'kms:GenerateDataKey through sqs: kms:GenerateDataKey Allowed',
    'kms:Decrypt through sqs: kms:Decrypt Allowed',
  ]);
});
