/** The backup task's way to the database, on a small stack of its own: exactly `databaseCidrs`, or any IPv4 and a warning. */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BACKUP_AVAILABILITY_ZONES, BackupNetwork, BackupNetworkProps } from '../../lib/backups/backup-network';

class NetworkStack extends Stack {
  override get availabilityZones(): string[] {
    return BACKUP_AVAILABILITY_ZONES;
  }
}

function build(props: Partial<BackupNetworkProps>) {
  const stack = new NetworkStack(new App(), 'Backups');
  const network = new BackupNetwork(stack, 'Network', {
    envName: 'production',
    fixedEgressIp: false,
    databasePort: 5432,
    key: new kms.Key(stack, 'Key'),
    ...props,
  });
  const groupId = stack.getLogicalId(network.securityGroup.node.defaultChild as any);
  const drillId = stack.getLogicalId(network.awsOnlySecurityGroup.node.defaultChild as any);
  const template = Template.fromStack(stack);
  // Egress to an address is inline; to a prefix list or another group, a separate AWS::EC2::SecurityGroupEgress.
  const egressOf = (id: string): Array<Record<string, unknown>> => [
    ...(template.toJSON().Resources[id].Properties.SecurityGroupEgress ?? []),
    ...Object.values<any>(template.findResources('AWS::EC2::SecurityGroupEgress'))
      .filter((e) => e.Properties.GroupId['Fn::GetAtt'][0] === id)
      .map((e) => e.Properties),
  ];
  /** The backup task's rules other than 443 (S3, the endpoints and Supabase Storage are covered elsewhere). */
  const databaseRules = egressOf(groupId).filter((rule) => rule.FromPort !== 443);
  return { stack, databaseRules, drillRules: egressOf(drillId) };
}

const warnings = (stack: Stack) =>
  Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('may reach any IPv4 address'));

describe("the backup task's egress on the database port", () => {
  it('without databaseCidrs: any IPv4 on 5432 only, and synth warns naming the field and the fix', () => {
    const { stack, databaseRules } = build({});
    expect(databaseRules).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 5432, ToPort: 5432 })]);
    const [warning] = warnings(stack);
    expect(String(warning.entry.data)).toMatch(
      /production's backup task may reach any IPv4 address on 5432.*Fix: .*backups\.databaseCidrs to \["<its address>\/32"\]/,
    );
  });

  it('with databaseCidrs: exactly those blocks (IPv4 and IPv6) on the port, no other address, no warning', () => {
    const { stack, databaseRules } = build({ databaseCidrs: ['203.0.113.7/32', '2001:db8:4::/64'] });
    expect(databaseRules).toEqual([
      expect.objectContaining({ CidrIp: '203.0.113.7/32', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' }),
      expect.objectContaining({ CidrIpv6: '2001:db8:4::/64', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' }),
    ]);
    expect(warnings(stack)).toEqual([]);
  });

  it('uses the port the job connects to (backups.database.port), not a constant', () => {
    const { databaseRules } = build({ databasePort: 6000, databaseCidrs: ['203.0.113.7/32'] });
    expect(databaseRules).toEqual([expect.objectContaining({ CidrIp: '203.0.113.7/32', FromPort: 6000 })]);
  });

  it('the drill never reaches the database (it restores into its own server): 443 to AWS only, either way', () => {
    for (const props of [{}, { databaseCidrs: ['203.0.113.7/32'] }]) {
      const { drillRules } = build(props);
      expect(drillRules.length).toBeGreaterThan(1);
      expect(drillRules.every((rule) => rule.FromPort === 443 && rule.CidrIp === undefined)).toBe(true);
    }
  });
});
