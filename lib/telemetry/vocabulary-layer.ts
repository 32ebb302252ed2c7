/**
 * The collector's vocabulary (the words and routes of the release's own build) as a Lambda layer written at synth,
 * so every deploy ships the vocabulary of the code it deploys. A layer, not an environment variable: Lambda allows
 * 4 KB of variables in all, and a real bundle's vocabulary is far larger.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppContractProblem, readBuild } from '../app-contract';
import {
  VOCABULARY_FILE_NAME,
  VOCABULARY_LAYER_DIR,
  VocabularyDocument,
  vocabularyDocumentOf,
} from '../../lambda/telemetry/vocabulary';
import { scratchDir } from '../shared/scratch-dir';

export interface VocabularyLayerProps {
  /** The app build to release (the Site stack's `appDist`). */
  readonly appDist: string;
}

/** One build is read once per process, however many environments synthesize it. */
const staged = new Map<string, { dir: string; document: VocabularyDocument }>();

/** The build's vocabulary document (the same function the collector's tools call). */
export function buildVocabulary(appDist: string): VocabularyDocument {
  return stageVocabulary(appDist).document;
}

function stageVocabulary(appDist: string): { dir: string; document: VocabularyDocument } {
  let entry = staged.get(appDist);
  if (!entry) {
    const files = readBuild(appDist);
    if (!(files instanceof Map)) {
      const problem = files as AppContractProblem;
      throw new Error(`${problem.file}: ${problem.message}`);
    }
    const document = vocabularyDocumentOf(files);
    // Removed when the process ends: CDK has copied it into the assembly by then.
    const dir = scratchDir('miko-telemetry-vocabulary-');
    mkdirSync(join(dir, VOCABULARY_LAYER_DIR));
    writeFileSync(join(dir, VOCABULARY_LAYER_DIR, VOCABULARY_FILE_NAME), JSON.stringify(document));
    entry = { dir, document };
    staged.set(appDist, entry);
  }
  return entry;
}

export class VocabularyLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string, props: VocabularyLayerProps) {
    super(scope, id);
    const { dir, document } = stageVocabulary(props.appDist);
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code: lambda.Code.fromAsset(dir),
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      description: `The release's code vocabulary for telemetry redaction: ${document.words.length} words, ${document.routes.length} routes`,
      // A replaced version is deleted once the function points at the next: it is rebuilt from every synth.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
