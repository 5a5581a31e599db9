import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { tracingEnabled } from './tracing';
import { FONT_FILES } from '../lambdas/notices/fonts';
import { HANDLER_METADATA_KEY } from './names';

/**
 * Shell commands run after esbuild: the PDF letters embed DejaVu Sans (lambdas/notices/fonts.ts),
 * whose .ttf files esbuild does not bundle; they are copied to `fonts/` next to index.js, where
 * fontBytes() looks first in the Lambda.
 */
export function fontCopyCommands(inputDir: string, outputDir: string): string[] {
  const from = path.posix.join(inputDir, 'node_modules', 'dejavu-fonts-ttf', 'ttf');
  const to = path.posix.join(outputDir, 'fonts');
  return [`mkdir -p "${to}"`, ...Object.values(FONT_FILES).map((f) => `cp "${from}/${f}" "${to}/${f}"`)];
}

/**
 * The esbuild settings of every function, in one place: the Lambda bundles below and the bundle
 * bench (scripts/bench-bundles.ts, which builds each handler and its SDK floor with these very
 * settings) read them, so what is measured is what ships.
 */
export const BUNDLE_SETTINGS = {
  format: 'cjs',
  target: 'node24',
  platform: 'node',
  minify: true,
  // Maps map minified lines back to lambdas/*.ts, but without the sources themselves: those made
  // each .map 3x the bundle (the code is public, in this repository, at the deployed commit).
  sourceMap: true,
  sourcesContent: false,
} as const;

/**
 * Context switch `-c amiable:sourceMaps=true` (DEPLOY.md): functions start with
 * `--enable-source-maps`, so stack traces in the logs name lambdas/*.ts lines. Off by default:
 * Node then loads and indexes the map at start, which added 22-46 % to module init (issue 15).
 */
export const SOURCE_MAPS_CONTEXT_KEY = 'amiable:sourceMaps';

export function sourceMapsEnabled(scope: Construct): boolean {
  const value = scope.node.tryGetContext(SOURCE_MAPS_CONTEXT_KEY);
  if (value === undefined || value === null || value === '' || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`${SOURCE_MAPS_CONTEXT_KEY} must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * Libraries bundled apart from index.js: the code imports them on first use
 * (`await import('./pdf-libs.js')`), esbuild leaves that import alone (external), and an
 * afterBundling step builds the module next to index.js, for the functions whose index.js asks for
 * it. A cold start then neither reads nor parses them; only the sends that render a PDF or compose
 * a message do, once per container. Locally, tsx and vitest resolve the same import to the .ts file.
 */
export const SPLIT_MODULES = [
  { specifier: './pdf-libs.js', entry: 'lambdas/notices/pdf-libs.ts' },
  { specifier: './mime-libs.js', entry: 'lambdas/notices/mime-libs.ts' },
  { specifier: './pdf-read-libs.js', entry: 'lambdas/einvoice/pdf-read-libs.ts' },
  // zod, read only when a lean check (lambdas/http/lean-checks.ts) hands a profile or a body over to the schema.
  { specifier: './zod-checks.js', entry: 'lambdas/http/zod-checks.ts' },
  // fflate and the timeline page, read by the invocations that build an evidence bundle (lambdas/services/bundle-zip.ts).
  { specifier: './bundle-libs.js', entry: 'lambdas/services/bundle-libs.ts' },
  // The reader of kept messages, read when a PDF is taken out of one (lambdas/services/evidence-source.ts).
  { specifier: './mime-read-libs.js', entry: 'lambdas/services/mime-read-libs.ts' },
] as const;

/** Shell commands building each split module a bundle asks for, with the bundle's own settings. */
export function splitModuleCommands(inputDir: string, outputDir: string): string[] {
  const esbuild = path.posix.join(inputDir, 'node_modules', '.bin', 'esbuild');
  const index = path.posix.join(outputDir, 'index.js');
  return SPLIT_MODULES.map(
    (m) =>
      `if grep -qF '"${m.specifier}"' "${index}"; then "${esbuild}" "${path.posix.join(inputDir, m.entry)}" --bundle --platform=${BUNDLE_SETTINGS.platform} ` +
      `--format=${BUNDLE_SETTINGS.format} --target=${BUNDLE_SETTINGS.target}${BUNDLE_SETTINGS.minify ? ' --minify' : ''}` +
      `${BUNDLE_SETTINGS.sourceMap ? ` --sourcemap --sources-content=${BUNDLE_SETTINGS.sourcesContent}` : ''} --log-level=warning ` +
      `--outfile="${path.posix.join(outputDir, m.specifier.slice(2))}"; fi`,
  );
}

export { HANDLER_METADATA_KEY };

export interface HandlerFunctionProps {
  /** File name under lambdas/ without extension, e.g. "send-notice". */
  handler: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  description?: string;
}

/**
 * One Lambda function per handler module, with the project's defaults: the latest Node.js runtime
 * CDK knows (24.x; cdk-nag L1), arm64 (about 20% cheaper per GB-s), esbuild bundling without
 * Docker, bounded log retention, X-Ray tracing when `amiable:tracing` is on (lib/tracing.ts), and its own role that may write to its own log
 * group only (no AWSLambdaBasicExecutionRole, whose logs:* grant covers every log group).
 */
export class HandlerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Amiable ${props.handler} Lambda`,
    });
    super(scope, id, {
      role,
      entry: path.join(__dirname, '..', 'lambdas', `${props.handler}.ts`),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description,
      tracing: tracingEnabled(scope) ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      logGroup,
      environment: {
        ...(sourceMapsEnabled(scope) ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        AMIABLE_REGION: Stack.of(scope).region,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: BUNDLE_SETTINGS.target,
        sourceMap: BUNDLE_SETTINGS.sourceMap,
        sourcesContent: BUNDLE_SETTINGS.sourcesContent,
        minify: BUNDLE_SETTINGS.minify,
        // The v3 SDK ships in the runtime, but pinning our own copy keeps behaviour identical to tests:
        // only the split modules are left out, built next to index.js by afterBundling.
        externalModules: SPLIT_MODULES.map((m) => m.specifier),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [...splitModuleCommands(inputDir, outputDir), ...fontCopyCommands(inputDir, outputDir)],
        },
      },
    });
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA_KEY, props.handler);
    // CreateLogStream + PutLogEvents on this function's log group only (the group exists already).
    logGroup.grantWrite(role);
    if (tracingEnabled(scope)) {
      acknowledge(
        role,
        'IAM5[Resource::*]',
        'X-Ray tracing (Tracing.ACTIVE, -c amiable:tracing=true): xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so IAM only accepts Resource "*" for them; no other action of this role is granted on "*".',
      );
    }
  }
}
