/**
 * Every file of the build through the same secret guard as `config.json` (lib/config/secret-guard.ts): chunks,
 * source maps, HTML, JSON, anything. A finding names the file, the line and what matched, never the value.
 */
import { findSecretsInText } from '../config/secret-guard';
import type { AppContractProblem, BuildFiles, ContractConfig } from './index';

export function checkNoSecrets(files: BuildFiles, config: ContractConfig): AppContractProblem[] {
  const publicGoogleApiKeySha256s = config.appBuild.publicGoogleApiKeys.map((k) => k.sha256);
  const problems: AppContractProblem[] = [];
  for (const [file, content] of files) {
    for (const finding of findSecretsInText(content.toString('utf8'), { publicGoogleApiKeySha256s })) {
      problems.push({
        file,
        line: finding.line,
        message: `holds ${finding.reason}; every file of the build is public. Fix: remove it from the app's source and its build-time variables (VITE_*), keep the credential in Secrets Manager (README "Credentials"), and rotate it: it may already have shipped (docs/runbooks/credential-exposure.md).`,
      });
    }
  }
  return problems;
}
