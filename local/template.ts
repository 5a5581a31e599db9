/**
 * Synthesizes the real CDK app in-process (offline, bundling skipped: local mode runs the handler
 * sources directly) and resolves the CloudFormation tokens local mode needs: the state machine
 * definition, the table schema and each Lambda's environment.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_REGION, HANDLER_METADATA_KEY, STACK_NAME } from '../lib/names';
import { cachedTemplate } from './synth-cache';

export const LOCAL_REGION = DEFAULT_REGION;
export const LOCAL_ACCOUNT = '000000000000';

type Json = any;

export interface SynthesizedSystem {
  template: Json;
  /** Runnable ASL: every token resolved to a local name or ARN. */
  definition: Json;
  stateMachineArn: string;
  tableName: string;
  table: Json;
  bucketName: string;
  /** logical id of each Lambda -> its handler module name and resolved environment. */
  functions: Map<string, { handler: string; environment: Record<string, string> }>;
}

export function synthesize(): SynthesizedSystem {
  return resolveSystem(cachedTemplate(synthesizeInChild));
}

/**
 * The template, synthesized by the CDK app in a child process (./synth-child.ts runs
 * synthesizeTemplate). The same app with the same context gives the same template; in the local
 * mode process itself, synthesis left ~450 MB of resident memory behind (the construct tree, the
 * assets' staging, V8 heap grown for them), most of the peak of a 1,000-dossier run; this module
 * does not even load aws-cdk-lib (it reads its names from lib/names.ts).
 */
function synthesizeInChild(): Json {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-synth-'));
  try {
    const out = path.join(dir, 'template.json');
    // tsx runs the TypeScript sources in the child, as it does here (npm start, tests, bench).
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = spawnSync(process.execPath, ['--import', tsx, path.join(__dirname, 'synth-child.ts'), out], {
      env: process.env,
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) {
      throw new Error(`synthesizing the CDK app failed (exit ${child.status ?? child.signal}): ${child.error?.message ?? child.stderr?.toString('utf8').slice(-4000)}`);
    }
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Validates runnable ASL with asl-validator (paths and ARNs checked); throws listing the errors. */
export function validateAsl(definition: Json): void {
  // Loaded here, once at start: the validator (ajv and its compiled schemas) is needed for nothing else.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const aslValidator: (definition: Json, opts?: Json) => { isValid: boolean; errors: Json[] } = require('asl-validator');
  // asl-validator annotates the object it is given: hand it a copy.
  const { isValid, errors } = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  if (!isValid) {
    throw new Error(`invalid state machine definition:\n${errors.map((e) => `  ${e['Error code'] ?? ''} ${e.Message ?? JSON.stringify(e)}`).join('\n')}`);
  }
}

export function resolveSystem(template: Json): SynthesizedSystem {
  const resources: Record<string, Json> = template.Resources;
  const one = (type: string) => {
    const ids = Object.keys(resources).filter((id) => resources[id].Type === type);
    if (ids.length !== 1) throw new Error(`expected exactly one ${type}, found ${ids.length}`);
    return ids[0];
  };
  const resolve = tokenResolver(resources);
  const smId = one('AWS::StepFunctions::StateMachine');
  const tableId = one('AWS::DynamoDB::Table');
  const functions = new Map<string, { handler: string; environment: Record<string, string> }>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const handler = r.Metadata?.[HANDLER_METADATA_KEY];
    if (!handler) continue; // CDK's own helper functions (log retention, custom resources)
    const vars: Record<string, Json> = r.Properties.Environment?.Variables ?? {};
    functions.set(id, {
      handler,
      environment: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, resolve(v)])),
    });
  }
  const bucketId = Object.keys(resources).find(
    (id) => resources[id].Type === 'AWS::S3::Bucket' && resources[id].Properties?.ObjectLockEnabled,
  )!;
  const definition = JSON.parse(resolve(resources[smId].Properties.DefinitionString));
  validateAsl(definition);
  return {
    template,
    definition,
    stateMachineArn: resolve({ Ref: smId }),
    tableName: resolve({ Ref: tableId }),
    table: resources[tableId].Properties,
    bucketName: resolve({ Ref: bucketId }),
    functions,
  };
}

/** Resolves Ref / GetAtt(Arn) / Join tokens of this template to local names and ARNs. */
export function tokenResolver(resources: Record<string, Json>) {
  const pseudo: Record<string, string> = {
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': STACK_NAME,
  };
  const arn = (service: string, rest: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${rest}`;
  // What Ref / GetAtt(Arn) return per resource type, with local names derived from logical ids.
  const ref: Record<string, (id: string) => string> = {
    'AWS::DynamoDB::Table': (id) => id,
    'AWS::S3::Bucket': (id) => id.toLowerCase(), // S3 bucket names are lower case
    'AWS::StepFunctions::StateMachine': (id) => arn('states', `stateMachine:${id}`),
    'AWS::Lambda::Function': (id) => id,
    'AWS::SES::ConfigurationSet': (id) => id,
    // A queue's URL: local/sqs.ts finds the queue by the last path segment (its logical id).
    'AWS::SQS::Queue': (id) => `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT}/${id}`,
  };
  const arnOf: Record<string, (id: string) => string> = {
    'AWS::DynamoDB::Table': (id) => arn('dynamodb', `table/${id}`),
    'AWS::Lambda::Function': (id) => arn('lambda', `function:${id}`),
    'AWS::S3::Bucket': (id) => `arn:aws:s3:::${id.toLowerCase()}`,
    'AWS::StepFunctions::StateMachine': (id) => arn('states', `stateMachine:${id}`),
    'AWS::SQS::Queue': (id) => arn('sqs', id),
  };
  const resolve = (v: Json): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (v?.Ref) {
      if (pseudo[v.Ref]) return pseudo[v.Ref];
      const type = resources[v.Ref]?.Type;
      if (!ref[type]) throw new Error(`cannot resolve Ref to ${v.Ref} (${type})`);
      return ref[type](v.Ref);
    }
    if (v?.['Fn::GetAtt']) {
      const [id, attr] = v['Fn::GetAtt'];
      const type = resources[id]?.Type;
      if (attr !== 'Arn' || !arnOf[type]) throw new Error(`cannot resolve GetAtt ${id}.${attr}`);
      return arnOf[type](id);
    }
    if (v?.['Fn::Join']) return v['Fn::Join'][1].map(resolve).join(v['Fn::Join'][0]);
    throw new Error(`unresolvable token ${JSON.stringify(v)}`);
  };
  return resolve;
}
