import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_ROUTES, ApiRoute, BINARY_MEDIA_TYPES, HandlerName } from './api-routes';
import { HandlerFunction } from './handler-function';
import { acknowledge } from './nag';
import { tracingEnabled } from './tracing';

export interface IntakeApiProps {
  environment: Record<string, string>;
  /** The routes to serve; API_ROUTES unless a test passes its own. */
  routes?: readonly ApiRoute[];
  /** Grants each route handler what it needs (and nothing else). */
  grant: (handler: HandlerName, fn: lambda.IFunction) => void;
  authorizerGrant: (fn: lambda.IFunction) => void;
  /** Route handlers built elsewhere, with their grants (the hand-off, also a step of the state machine). */
  functions?: Partial<Record<HandlerName, HandlerFunction>>;
}

/** Builds the API's error body in the contract's format, for API Gateway's own responses. */
function errorTemplate(code: string, message: string): Record<string, string> {
  return {
    'application/json': JSON.stringify({ error: { code, message, details: [] } }),
  };
}

/**
 * How API Gateway authorizes a route: creditor routes by the x-api-key Lambda authorizer (CUSTOM);
 * admin routes (`auth: 'admin'`) by AWS IAM (SigV4-signed with the operator's AWS credentials,
 * allowed by an IAM policy granting execute-api:Invoke), with no Lambda authorizer and no API key.
 */
export function methodAuthorization(route: ApiRoute, authorizer: apigw.IAuthorizer): apigw.MethodOptions {
  return route.auth === 'admin'
    ? { authorizationType: apigw.AuthorizationType.IAM }
    : { authorizer, authorizationType: apigw.AuthorizationType.CUSTOM };
}

/** Seconds an authorizer answer is cached per API key: a revoked key stops working within this delay. */
export const AUTHORIZER_CACHE_SECONDS = 10;

/**
 * REST API: a Lambda REQUEST authorizer maps the x-api-key header to a creditor; admin routes are
 * IAM-authorized; input validation happens inside the Lambdas (so AWS and local mode answer the
 * same 400s); throttled per stage. API Gateway's own errors are rewritten into the contract's error
 * format.
 */
export class IntakeApi extends Construct {
  readonly api: apigw.RestApi;
  readonly functions = new Map<HandlerName, HandlerFunction>();

  constructor(scope: Construct, id: string, props: IntakeApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: 'amiable',
      description: 'Amiable: overdue invoice intake and dossier management',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      // POST /invoices/import takes a PDF or XML file: passed to the Lambda base64-encoded, byte for
      // byte (the evidence keeps it exactly). JSON bodies are unaffected. API Gateway caps a REST
      // payload at 10 MB; the import handler caps the file at 4 MiB (Lambda's 6 MB payload, base64).
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
        tracingEnabled: tracingEnabled(this),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });

    acknowledge(
      this.api,
      'APIG2',
      'Input is validated at the edge by each route handler with zod (lambdas/): the 400 carries field paths in the contract format and local mode answers the same. A gateway JSON-schema model would duplicate those schemas and answer differently; the authorizer and path matching run before any handler.',
    );
    acknowledge(
      this.api,
      'COG4',
      'Callers are creditor back offices (machines), not Cognito users: a Lambda REQUEST authorizer maps the x-api-key header (stored as sha256, K#<hash> items) to one creditor, results cached 10 s so a revoked key stops within 10 s; every handler takes the creditor from the authorizer context, never from the request (tenant isolation). Admin routes are for the operator and use AWS IAM (SigV4) authorization instead.',
    );
    acknowledge(
      this.api.deploymentStage,
      'APIG3',
      'No WAFv2 web ACL yet: every route is authenticated (API key through the Lambda authorizer, or IAM SigV4 for admin routes) and traffic is limited by the stage throttling: 50 requests/s with bursts of 100 on each method of stage v1, under the Regional API Gateway limit of the account (there is no usage plan: it would only limit API Gateway API keys, and the keys of this API are checked by its Lambda authorizer). A regional web ACL (rate-based and AWS managed rules) is a per-deployment cost decision left to the operator.',
    );
    const cloudWatchRole = this.api.node.findChild('CloudWatchRole');
    acknowledge(
      cloudWatchRole,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-level logging role (AWS::ApiGateway::Account, needed for the access and execution logs): the AWS-managed policy is the one AWS documents for it, and API Gateway creates its log groups at run time (names unknown here), so an inline policy could not be narrower.",
    );

    const authorizerFn = new HandlerFunction(this, 'AuthorizerFn', {
      handler: 'authorizer',
      environment: props.environment,
      description: 'Maps the x-api-key header to a creditor',
    });
    props.authorizerGrant(authorizerFn);
    const authorizer = new apigw.RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      handler: authorizerFn,
      identitySources: [apigw.IdentitySource.header('x-api-key')],
      // Short, so a revoked or rotated key stops working within 10 s; a busy back office still
      // reaches DynamoDB at most once per 10 s per key for authorization (GetItem).
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_SECONDS),
    });

    this.api.addGatewayResponse('Unauthorized', {
      type: apigw.ResponseType.UNAUTHORIZED,
      statusCode: '401',
      templates: errorTemplate('unauthorized', 'Missing or unknown API key (header x-api-key).'),
    });
    // The key authorizer never denies (it allows the stage or throws Unauthorized): an access
    // denial comes from IAM on an admin route whose caller's policy lacks execute-api:Invoke.
    this.api.addGatewayResponse('AccessDenied', {
      type: apigw.ResponseType.ACCESS_DENIED,
      statusCode: '403',
      templates: errorTemplate('forbidden', 'Not allowed to call this route.'),
    });
    // API Gateway answers an unknown route with 403 "Missing Authentication Token": make it a 404.
    // (An unsigned call to an IAM-authorized admin route gets the same answer: nothing to probe.)
    this.api.addGatewayResponse('UnknownRoute', {
      type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: errorTemplate('not_found', 'No such route.'),
    });
    this.api.addGatewayResponse('Throttled', {
      type: apigw.ResponseType.THROTTLED,
      statusCode: '429',
      templates: errorTemplate('throttled', 'Too many requests; retry later.'),
    });
    this.api.addGatewayResponse('Default4xx', {
      type: apigw.ResponseType.DEFAULT_4XX,
      templates: errorTemplate('bad_request', '$context.error.messageString'),
    });
    this.api.addGatewayResponse('Default5xx', {
      type: apigw.ResponseType.DEFAULT_5XX,
      templates: errorTemplate('internal', 'Internal error.'),
    });

    // No usage plan: a plan only limits callers identified by API Gateway API keys, which this API
    // does not use (its keys are checked by the Lambda authorizer), so a plan would limit nothing.
    // The stage throttling above (applied to each method) is what limits traffic.

    // The stack outputs the API URL itself (ApiUrl, AdminEndpoint): drop RestApi's own output.
    this.api.node.tryRemoveChild('Endpoint');

    for (const route of props.routes ?? API_ROUTES) {
      let fn = this.functions.get(route.handler) ?? props.functions?.[route.handler];
      if (!fn) {
        fn = new HandlerFunction(this, `${pascal(route.handler)}Fn`, {
          handler: route.handler,
          environment: props.environment,
          // Reading a Factur-X PDF (up to 4 MiB, lambdas/einvoice/limits.ts) holds the PDF's objects in memory.
          ...(route.handler === 'import-invoice' ? { memorySize: 1024 } : {}),
        });
        props.grant(route.handler, fn);
      }
      this.functions.set(route.handler, fn);
      const resource = this.api.root.resourceForPath(route.path);
      resource.addMethod(route.method, new apigw.LambdaIntegration(fn), methodAuthorization(route, authorizer));
    }
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}
