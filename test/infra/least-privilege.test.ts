import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { DossierTable } from '../../lib/dossier-table';
import { AUTHORIZER_CACHE_SECONDS } from '../../lib/intake-api';
import { on, permissionsOfRole, roleOfHandler, statementsOfRole } from './iam';
import { buildTestApp, PROD } from './synth';

/**
 * Each function may do exactly what its code calls (lambdas/adapters/*.ts, reached through
 * lambdas/services/*.ts), on this stack's resources only. The expected sets are written out here,
 * so a grant that widens (or a call that loses its grant) shows up as a failing line.
 */
/** A Query grant covers each index of the table by name (never index/*). */
const INDEXES = ['byCreditorNextAction', 'byCreditorActivity', 'byCreditorStatus', 'creditorRegistry'].map((i) => `table/index/${i}`);
const onTableAndIndexes = (...actions: string[]) => [...on('table', ...actions), ...INDEXES.flatMap((i) => on(i, ...actions))];
const WRITER = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'];
/** Dossier writers: the table (and its indexes, for Query), and evidence-log facts under dossiers/. */
const writes = (...extra: string[]) => [...onTableAndIndexes(...WRITER, ...extra), ...on('vault/dossiers/*', 's3:PutObject', 's3:PutObjectRetention')];
const sends = (identity: string) => [
  ...on(`ses-identity/${identity}`, 'ses:SendEmail', 'ses:SendRawEmail'),
  ...on('ses-configuration-set', 'ses:SendEmail', 'ses:SendRawEmail'),
];
const DOMAIN = PROD['amiable:senderDomain'];
/** A consumer of the table's stream (the stream's ARN reads as "table" here). */
const STREAM_READ = [...on('table', 'dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'), ...on('vault*', 'dynamodb:ListStreams')]; // "*" (iam.ts names every resource "vault*")
/** Evidence bundles: read evidence from the vault; put and read bundles in the exports bucket (services/evidence.ts). */
const evidenceReads = () => on('vault/dossiers/*', 's3:GetObject', 's3:GetObjectVersion');
const bundles = () => [...on('exports/bundles/*', 's3:PutObject', 's3:GetObject'), ...evidenceReads()];
/** DossierHandedOff on the default bus (services/litigation.ts), source "amiable" only. */
const publishes = () => on('default-event-bus', 'events:PutEvents');

const EXPECTED: Record<string, string[]> = {
  authorizer: on('table', 'dynamodb:GetItem'),
  // The dossier; a long history pages through its evidence-log records (Query).
  'get-invoice': onTableAndIndexes('dynamodb:GetItem', 'dynamodb:Query'),
  // One Query per page of GET /invoices.
  'list-invoices': onTableAndIndexes('dynamodb:Query'),
  // Creditor profiles and keys; revoking a key deletes its two items.
  admin: onTableAndIndexes('dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:DeleteItem'),
  // POST /invoices reads the dossier and the creditor's profile in one BatchGetItem (adapters/intake-read.ts).
  'create-invoice': [...writes('dynamodb:BatchGetItem'), ...on('state-machine', 'states:StartExecution')],
  // POST /invoices/import: the same intake (the e-invoice file kept as evidence); the profile read is a GetItem.
  'import-invoice': [...writes(), ...on('state-machine', 'states:StartExecution')],
  // POST /invoices/batch: the same writes as create-invoice, but no StartExecution: the starts are
  // queued (lib/bulk-intake.ts), SendMessage on the bulk-start queue only.
  'create-invoice-batch': [...writes(), ...on('queue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage')],
  // The bulk-start queue's consumer: reads a dossier, starts its first execution, clears its
  // pendingStart marker (UpdateItem); consumes the queue (its event source mapping).
  'start-workflows': [
    ...on('table', 'dynamodb:GetItem', 'dynamodb:UpdateItem'),
    ...on('state-machine', 'states:StartExecution'),
    ...on('queue', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'),
  ],
  'record-payment': [...writes(), ...sends(DOMAIN), ...on('executions', 'states:StopExecution')],
  'dossier-actions': [
    ...writes('dynamodb:DeleteItem'),
    ...sends(DOMAIN),
    ...on('state-machine', 'states:StartExecution'),
    ...on('executions', 'states:StopExecution'),
  ],
  tasks: writes(),
  // GET /reports/summary: summaries by status and activity, tasks, receivables, digest state (Query,
  // GetItem); dossiers active in the period in full (BatchGetItem); PUT /reports/receivables (PutItem).
  reports: onTableAndIndexes('dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'),
  // The letters. A next stage beyond the execution's horizon: the next generation is started (execution-continuation.ts).
  // BatchGetItem: the debtor's pause and the evidence log's last record in one read (services/mail-tracking.ts).
  // StartExecution: the next generation (execution-continuation.ts); StopExecution: its own
  // execution, ended early rather than passed through the chain (endChainEarly).
  'send-notice': [...writes('dynamodb:BatchGetItem'), ...sends(DOMAIN), ...on('state-machine', 'states:StartExecution'), ...on('executions', 'states:StopExecution')],
  // The hand-off (the SendLitigationHandoff step and POST /handoff): the litigation dossier and the
  // evidence bundle for counsel, the message, DossierHandedOff. Nothing follows a hand-off: it never starts an execution.
  handoff: [...writes(), ...sends(DOMAIN), ...bundles(), ...publishes()],
  // GET /litigation (log read, dossier kept as evidence). Insolvency: the debtor's other dossiers,
  // their evidence read back, declaration drafts and tasks, the message to counsel; stops their executions.
  litigation: [...writes(), ...sends(DOMAIN), ...evidenceReads(), ...on('executions', 'states:StopExecution')],
  'review-commitment': [...writes('dynamodb:BatchGetItem'), ...sends(DOMAIN), ...on('state-machine', 'states:StartExecution'), ...on('executions', 'states:StopExecution')],
  'mark-needs-attention': writes(),
  // Reads the log (catching it up), reads evidence into bundles, writes bundles and signs their links.
  evidence: [...writes(), ...bundles()],
  // The accountants (lib/accountant-mail.ts): each reads the table's stream (DescribeStream,
  // GetRecords, GetShardIterator on the stream; ListStreams, which has no resource-level permission,
  // on "*"), sends the records it fails on to the dead-letter queue, puts what it sends under
  // digests/* of the vault and sends from the configured identity only.
  digest: [
    ...onTableAndIndexes('dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'),
    ...STREAM_READ,
    ...on('vault/digests/*', 's3:PutObject', 's3:PutObjectRetention'),
    ...sends(DOMAIN),
    ...on('queue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'),
  ],
  'accountant-alerts': [
    ...on('table', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'),
    ...STREAM_READ,
    ...on('vault/digests/*', 's3:PutObject', 's3:PutObjectRetention'),
    ...sends(DOMAIN),
    ...on('queue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'),
  ],
  // Flags the dossier of an execution that ended unexpectedly (reads the execution from the event);
  // starts the recorded successor of a superseded one that never started (StartExecution on this
  // state machine only, never StopExecution); plus its asynchronous-invocation failure destination (lib/execution-watch.ts).
  'execution-status': [...writes(), ...on('state-machine', 'states:StartExecution'), ...on('queue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage')],
  // The stall sweep (lib/stall-sweep.ts): creditor ids (Query on the registry index), overdue
  // dossiers (Query on the due index), the dossier (GetItem), its flag (UpdateItem, with its
  // evidence-log record and fact), the run's resume point (GetItem, PutItem); DescribeExecution of the
  // execution a dossier records and StartExecution of one never started (never StopExecution); its
  // asynchronous-invocation failure destination.
  'stall-sweep': [
    ...writes(),
    ...on('state-machine', 'states:StartExecution'),
    ...on('executions', 'states:DescribeExecution'),
    ...on('queue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'),
  ],
  // Events out (lib/events-out.ts). The creditor's webhooks: registrations (a deletion marks them:
  // UpdateItem, never DeleteItem) and their delivery logs.
  webhooks: onTableAndIndexes('dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'),
  // Reads the table's stream, lists the creditor's webhooks (Query), records deliveries (PutItem,
  // GetItem), publishes on the default bus (source amiable), queues deliveries; its on-failure DLQ.
  'events-out': [
    ...onTableAndIndexes('dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:GetItem'),
    ...STREAM_READ,
    ...publishes(),
    ...on('queue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'),
  ],
  // Consumes the delivery queue, reads the delivery and its webhook, records each attempt, re-queues
  // a retry or hands the delivery to the dead-letter queue.
  'webhook-delivery': [
    ...on('table', 'dynamodb:GetItem', 'dynamodb:UpdateItem'),
    ...on('queue', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage'),
  ],
  // Plus its asynchronous-invocation failure destination (lib/delivery-events.ts).
  'delivery-events': [
    ...writes(),
    ...on('executions', 'states:StopExecution'),
    ...on('queue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'),
  ],
};

describe('least privilege, function by function', () => {
  const { stack } = buildTestApp(PROD);
  const template = Template.fromStack(stack).toJSON();

  for (const [handler, expected] of Object.entries(EXPECTED)) {
    it(`${handler}: exactly the actions its code calls`, () => {
      expect(permissionsOfRole(template, roleOfHandler(template, handler))).toEqual([...expected].sort());
    });
  }

  it('covers every function of the stack (a new one needs its line above)', () => {
    const handlers = Object.values<any>(template.Resources)
      .map((r) => r.Metadata?.['amiable:handler'])
      .filter(Boolean)
      .sort();
    expect(handlers).toEqual(Object.keys(EXPECTED).sort());
  });

  it('evidence: the evidence log, its facts, and bundles (read evidence, put bundles in the exports bucket), never a delete', () => {
    // The evidence route rows come with the lead's handler; its grant is checked on a probe role.
    const probe = buildTestApp(PROD, {}, { nag: false });
    const role = new iam.Role(probe.stack, 'ProbeRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const fn = lambda.Function.fromFunctionAttributes(probe.stack, 'Probe', {
      functionArn: 'arn:aws:lambda:eu-west-3:123456789012:function:probe',
      role,
    });
    probe.stack.grantRoute('evidence', fn);
    const t = Template.fromStack(probe.stack).toJSON();
    const roleId = probe.stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    expect(permissionsOfRole(t, roleId)).toEqual(
      [
        ...writes(),
        ...bundles(),
      ].sort(),
    );
  });

  it('no function may Scan, batch-write, delete items (but the resume route and key revocation) or use a table-wide action', () => {
    for (const handler of Object.keys(EXPECTED)) {
      const actions = permissionsOfRole(template, roleOfHandler(template, handler)).map((p) => p.split(' ')[0]);
      expect(actions.filter((a) => /^dynamodb:(Scan|BatchWriteItem|DescribeTable|\*)/.test(a)), handler).toEqual([]);
      if (handler !== 'dossier-actions' && handler !== 'admin') expect(actions, handler).not.toContain('dynamodb:DeleteItem');
    }
  });

  it('sends mail only from the configured identity; identity/* only without a sender domain, with its reason', () => {
    const pattern = /ses-identity\//;
    for (const handler of ['send-notice', 'handoff', 'review-commitment', 'record-payment', 'dossier-actions', 'litigation', 'digest', 'accountant-alerts']) {
      const identities = permissionsOfRole(template, roleOfHandler(template, handler)).filter((p) => pattern.test(p));
      expect(identities, handler).toEqual(on(`ses-identity/${DOMAIN}`, 'ses:SendEmail', 'ses:SendRawEmail'));
    }
    const test = buildTestApp();
    const t = Template.fromStack(test.stack).toJSON();
    const roleId = roleOfHandler(t, 'send-notice');
    expect(permissionsOfRole(t, roleId)).toEqual(expect.arrayContaining(sends('*')));
    const acks = test.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .map((m) => JSON.stringify(m.data));
    expect(acks.some((a) => a.includes('identity/*') && a.includes('No amiable:senderDomain configured'))).toBe(true);
  });

  it('publishes on the default bus only, and only events whose source is amiable', () => {
    for (const handler of ['handoff', 'events-out']) {
      const statements = statementsOfRole(template, roleOfHandler(template, handler)).filter((st) => [].concat(st.Action).includes('events:PutEvents' as never));
      expect(statements, handler).toHaveLength(1);
      expect(JSON.stringify(statements[0].Resource)).toMatch(/:event-bus\/default"/);
      expect(statements[0].Condition).toEqual({ StringEquals: { 'events:source': 'amiable' } });
    }
    const others = Object.keys(EXPECTED).filter((h) => h !== 'handoff' && h !== 'events-out');
    for (const handler of others) expect(permissionsOfRole(template, roleOfHandler(template, handler)).join(), handler).not.toContain('events:');
  });

  it('caches the key authorizer 10 s: a revoked key stops working within 10 s', () => {
    expect(AUTHORIZER_CACHE_SECONDS).toBe(10);
    const authorizers = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Authorizer');
    expect(authorizers.map((a) => a.Properties.AuthorizerResultTtlInSeconds)).toEqual([10]);
  });

  it('the state machine invokes its four functions, nothing else (each step reads the dossier in its Lambda)', () => {
    const sm = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    const roleId = sm.Properties.RoleArn['Fn::GetAtt'][0];
    const actions = new Set(statementsOfRole(template, roleId).flatMap((s) => [].concat(s.Action)));
    expect([...actions].filter((a) => !/^(logs|xray):/.test(a)).sort()).toEqual(['lambda:InvokeFunction']);
  });
});

describe('DossierTable.grant', () => {
  function tableStack() {
    const stack = new Stack(new App(), 'T');
    const dossiers = new DossierTable(stack, 'Dossiers', { removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { stack, dossiers, role };
  }

  it("grants the actions given on the table, and its indexes by name for Query, read from the table's own indexes", () => {
    const { stack, dossiers, role } = tableStack();
    // As another index added in the DossierTable constructor would be.
    dossiers.table.addGlobalSecondaryIndex({
      indexName: 'byKind',
      partitionKey: { name: 'kind', type: dynamodb.AttributeType.STRING },
    });
    dossiers.grant(role, ['dynamodb:GetItem']);
    dossiers.grant(role, ['dynamodb:Query', 'dynamodb:Query']);
    const statements = Template.fromStack(stack).toJSON();
    const st = Object.values<any>(statements.Resources).find((r) => r.Type === 'AWS::IAM::Policy').Properties.PolicyDocument.Statement;
    const resources = (action: string) => JSON.stringify(st.filter((s: any) => [].concat(s.Action).includes(action as never)).map((s: any) => s.Resource));
    expect(resources('dynamodb:GetItem')).not.toContain('/index/');
    expect(resources('dynamodb:Query')).toContain('/index/byCreditorNextAction');
    expect(resources('dynamodb:Query')).toContain('/index/byKind');
    expect(resources('dynamodb:Query')).not.toContain('/index/*');
  });

  it('refuses to synthesize when an index is added after a Query grant (the grant would miss it)', () => {
    const { stack, dossiers, role } = tableStack();
    dossiers.grant(role, ['dynamodb:Query']);
    dossiers.table.addGlobalSecondaryIndex({ indexName: 'late', partitionKey: { name: 'x', type: dynamodb.AttributeType.STRING } });
    expect(() => Template.fromStack(stack)).toThrow(/index was added to the dossier table after a grant/);
  });
});
