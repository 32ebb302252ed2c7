/** The distribution reads the site bucket through OAC (distribution.ts, release-bucket-policy.ts). */
import { PathCatalogue, resource, service } from '../shared/runtime-paths';

const ourDistribution = service('cloudfront.amazonaws.com', resource('Site', 'SiteDistribution'));
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
