import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';

/** Metadata key naming the handler module under lambdas/; local mode maps Task states with it. */
export const HANDLER_METADATA_KEY = 'amiable:handler';

export interface HandlerFunctionProps {
  /** File name under lambdas/ without extension, e.g. "send-notice". */
  handler: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  description?: string;
}

/**
 * One Lambda function per handler module, with the project's defaults: a supported Node.js
 * runtime (22+; 20.x reached end of life in April 2026), arm64 (about 20% cheaper per GB-s),
 * esbuild bundling without Docker, bounded log retention, and X-Ray tracing.
 */
export class HandlerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
    super(scope, id, {
      entry: path.join(__dirname, '..', 'lambdas', `${props.handler}.ts`),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        AMIABLE_REGION: Stack.of(scope).region,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node22',
        sourceMap: true,
        minify: true,
        // The v3 SDK ships in the runtime, but pinning our own copy keeps behaviour identical to tests.
        externalModules: [],
      },
    });
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA_KEY, props.handler);
  }
}
