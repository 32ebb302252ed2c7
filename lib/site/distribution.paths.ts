/**
 * The distribution reads the site bucket through OAC (distribution.ts, release-bucket-policy.ts), and calls the
 * function URLs behind it signed by OAC (`functionUrlOriginPaths`, spread by each function's catalogue).
 */
import { PathCatalogue, resource, RuntimePath, service } from '../shared/runtime-paths';

const ourDistribution = service('cloudfront.amazonaws.com', resource('Site', 'SiteDistribution'));

/** Our distribution calls a function URL signed by OAC: Lambda checks both the URL and the function behind it. */
export function functionUrlOriginPaths(prefix: string, stack: string, functionId: string): RuntimePath[] {
  return [
    {
      id: `cloudfront-invokes-${prefix}-url`,
      what: `our distribution calls the ${prefix} function URL, signed by OAC`,
      principal: ourDistribution,
      actions: ['lambda:InvokeFunctionUrl'],
      resource: resource(stack, functionId),
      context: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' },
    },
    {
      id: `cloudfront-invokes-${prefix}-function`,
      what: `and the ${prefix} function behind that URL`,
      principal: ourDistribution,
      actions: ['lambda:InvokeFunction'],
      resource: resource(stack, functionId),
      context: { 'lambda:InvokedViaFunctionUrl': 'true' },
    },
  ];
}
const siteBucket = 'arn:aws:s3:::miko-{env}-site-{account}';

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'cloudfront-reads-site',
      what: 'our distribution reads the release files through OAC',
      principal: ourDistribution,
      actions: ['s3:GetObject'],
      resource: `${siteBucket}/releases/r1/index.html`,
    },
    {
      id: 'cloudfront-lists-site',
      what: 'and lists the bucket, so a missing file is a 404, not a 403',
      principal: ourDistribution,
      actions: ['s3:ListBucket'],
      resource: siteBucket,
    },
  ],
  forbidden: [
    {
      id: 'other-distribution-reads-site',
      what: "another distribution (another account's, or ours pointed at the bucket) cannot read the site bucket",
      principal: {
        service: 'cloudfront.amazonaws.com',
        sourceArn: 'arn:aws:cloudfront::999999999999:distribution/EOTHER',
      },
      actions: ['s3:GetObject'],
      resource: `${siteBucket}/releases/r1/index.html`,
    },
  ],
};
