import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HandlerName } from './api-routes';
import { EventsOut } from './events-out';
import { AccountantMail } from './accountant-mail';
import { AuditorAccess } from './auditor-access';
import { BulkIntake } from './bulk-intake';
import { DeliveryEvents } from './delivery-events';
import { DossierTable, DynamoAction } from './dossier-table';
import { DunningWorkflow } from './dunning-workflow';
import { EvidenceVault, ObjectLockMode } from './evidence-vault';
import { BundleExports } from './bundle-exports';
import { ExecutionWatch } from './execution-watch';
import { HandlerFunction } from './handler-function';
import { IntakeApi } from './intake-api';
import { Mailer } from './mailer';
import { OperationsAlarms } from './operations-alarms';
import { StallSweep } from './stall-sweep';

/**
 * What a function that changes dossiers calls (lambdas/adapters/*.ts): GetItem to read a dossier,
 * creditor, task, message index or e-mail pause; UpdateItem for dossier writes; PutItem for a new
 * dossier, task items, the message index, e-mail pauses and the evidence log's record items;
 * Query for the evidence log (the last record of a dossier) and a creditor's open tasks.
 */
const DOSSIER_WRITER: readonly DynamoAction[] = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'];

export interface AmiableStackProps extends StackProps {
  /** "prod" retains data and locks evidence in COMPLIANCE mode by default (lib/app.ts). */
  stage: string;
  objectLockMode: ObjectLockMode;
  retentionDays: number;
  archiveAfterDays: number;
  /** The SES sending domain (identity, DKIM, MAIL FROM, Message-IDs); none in test/local by default. */
  senderDomain?: string;
  /** Principal ARNs allowed to assume the auditor role; empty = the account root. */
  auditorPrincipals: readonly string[];
  /** Operators' addresses subscribed to the alarms topic (none: subscribe by hand). */
  alarmEmails?: readonly string[];
}

/** Composes the constructs; each concern lives in its own file and grants what it owns. */
export class AmiableStack extends Stack {
  readonly dossiers: DossierTable;
  readonly evidence: EvidenceVault;
  readonly exports: BundleExports;
  readonly auditor: AuditorAccess;
  readonly mailer: Mailer;
  readonly workflow: DunningWorkflow;
  readonly api: IntakeApi;
  readonly deliveryEvents: DeliveryEvents;
  readonly accountants: AccountantMail;
  readonly executionWatch: ExecutionWatch;
  readonly operations: OperationsAlarms;
  readonly bulk: BulkIntake;
  readonly eventsOut: EventsOut;
  readonly stallSweep: StallSweep;

  constructor(scope: Construct, id: string, props: AmiableStackProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';

    this.dossiers = new DossierTable(this, 'Dossiers', { removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
    this.evidence = new EvidenceVault(this, 'Evidence', {
      lockMode: props.objectLockMode,
      retentionDays: props.retentionDays,
      archiveAfterDays: props.archiveAfterDays,
      // Retained in every stage: CloudFormation cannot empty a bucket whose versions are locked, so
      // DESTROY would only make a stack deletion fail. A test stack's bucket is emptied by hand once
      // its short retention has passed (DEPLOY.md, Tear-down).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Evidence bundles: derived from the vault, kept a few days, not under Object Lock.
    this.exports = new BundleExports(this, 'Exports', { accessLogs: this.evidence.accessLogs, removalPolicy: RemovalPolicy.RETAIN });
    this.auditor = new AuditorAccess(this, 'Auditor', { vault: this.evidence, principals: props.auditorPrincipals });
    this.mailer = new Mailer(this, 'Mailer', { senderDomain: props.senderDomain });

    const baseEnv: Record<string, string> = {
      TABLE_NAME: this.dossiers.table.tableName,
      EVIDENCE_BUCKET: this.evidence.bucket.bucketName,
      EXPORTS_BUCKET: this.exports.bucket.bucketName,
      // Local mode's S3 layer reads these too (from the template) to enforce the lock itself.
      EVIDENCE_LOCK_MODE: props.objectLockMode,
      EVIDENCE_RETENTION_DAYS: String(props.retentionDays),
      SES_CONFIGURATION_SET: this.mailer.configurationSet.configurationSetName,
      // Message-IDs use the sender domain; without one the handlers fall back to amiable.local.
      ...(props.senderDomain ? { MAIL_DOMAIN: props.senderDomain } : {}),
    };

    const sendNotice = new HandlerFunction(this, 'SendNoticeFn', {
      handler: 'send-notice',
      environment: baseEnv,
      description: 'Renders a notice, sends it with SES and stores the exact bytes as evidence',
    });
    // The hand-off has its own function: the litigation dossier, its PDF, the evidence bundle and
    // DossierHandedOff are loaded by this step only, not by every letter's cold start (issue 15).
    const handOff = new HandlerFunction(this, 'HandoffFn', {
      handler: 'handoff',
      environment: baseEnv,
      description: 'Hands a dossier off to counsel when the grace period ends unpaid (or holds it for approval), and on POST /invoices/{id}/handoff',
    });
    const markNeedsAttention = new HandlerFunction(this, 'MarkNeedsAttentionFn', {
      handler: 'mark-needs-attention',
      environment: baseEnv,
      description: 'Flags a dossier needs_attention when a workflow step failed',
    });
    const reviewCommitment = new HandlerFunction(this, 'ReviewCommitmentFn', {
      handler: 'review-commitment',
      environment: baseEnv,
      description: 'Keeps or breaks a promise or payment plan at its checkpoint; sends instalment reminders',
    });
    // BatchGetItem: a workflow send reads the debtor's pause and the evidence log's last record in
    // one request (services/mail-tracking.ts); only these two Lambdas send through leased-send.ts.
    this.grantDossierWrites(sendNotice, ['dynamodb:BatchGetItem']);
    this.mailer.grantSend(sendNotice);
    // The hand-off: the message to counsel, the litigation dossier's evidence bundle, DossierHandedOff.
    this.grantDossierWrites(handOff);
    this.mailer.grantSend(handOff);
    this.evidence.grantBundles(handOff);
    this.exports.grantBundleExports(handOff);
    this.mailer.grantPublish(handOff);
    this.grantDossierWrites(reviewCommitment, ['dynamodb:BatchGetItem']);
    this.mailer.grantSend(reviewCommitment);
    this.grantDossierWrites(markNeedsAttention);

    this.workflow = new DunningWorkflow(this, 'Workflow', {
      table: this.dossiers.table,
      sendNotice,
      handOff,
      markNeedsAttention,
      reviewCommitment,
    });
    const stateMachineArn = this.workflow.stateMachine.stateMachineArn;
    // A dossier whose next step lies beyond an execution's horizon continues in a new execution,
    // started by the task itself; a task whose course ends early stops its own execution
    // (lambdas/services/execution-continuation.ts).
    this.workflow.grantContinuation(sendNotice, reviewCommitment);

    // Executions that end FAILED, TIMED_OUT or ABORTED other than by the product flag their dossier.
    const executionStatusFn = new HandlerFunction(this, 'ExecutionStatusFn', {
      handler: 'execution-status',
      environment: baseEnv,
      description: 'Flags the dossier of an execution that failed, timed out or was stopped outside Amiable; starts a recorded successor',
    });
    this.grantDossierWrites(executionStatusFn);
    // A stop superseded by a successor that never started (its Lambda died between the stop and the
    // start) starts that successor (lambdas/services/execution-status.ts). The state machine does not
    // reference this function, so its default policy makes no cycle.
    this.workflow.stateMachine.grantStartExecution(executionStatusFn);
    this.executionWatch = new ExecutionWatch(this, 'ExecutionWatch', {
      stateMachine: this.workflow.stateMachine,
      handler: executionStatusFn,
      bus: this.mailer.defaultBus,
    });

    // Every 6 hours: a waiting dossier whose execution never started is started, one whose execution ended is flagged.
    this.stallSweep = new StallSweep(this, 'StallSweep', { workflow: this.workflow, environment: baseEnv, grantDossierWrites: (fn) => this.grantDossierWrites(fn) });

    const deliveryEventsFn = new HandlerFunction(this, 'DeliveryEventsFn', {
      handler: 'delivery-events',
      environment: { ...baseEnv, STATE_MACHINE_ARN: stateMachineArn },
      description: 'Records SES bounces, complaints, rejects and deliveries on the dossier',
    });
    this.grantDossierWrites(deliveryEventsFn);
    this.workflow.grantStop(deliveryEventsFn);
    this.deliveryEvents = new DeliveryEvents(this, 'DeliveryEvents', { mailer: this.mailer, handler: deliveryEventsFn });

    // The accountants' morning digest (scheduled) and immediate alerts (the table's stream).
    this.accountants = new AccountantMail(this, 'Accountants', { dossiers: this.dossiers, vault: this.evidence, mailer: this.mailer, environment: baseEnv });

    // POST /invoices/batch: dossiers stored at once, their first executions started through a paced queue.
    this.bulk = new BulkIntake(this, 'Bulk', {
      environment: { ...baseEnv, STATE_MACHINE_ARN: stateMachineArn },
      stateMachine: this.workflow.stateMachine,
      grantDossierUpdate: (fn) => this.dossiers.grant(fn, ['dynamodb:GetItem', 'dynamodb:UpdateItem']),
    });
    // Events out: every dossier state change on the default bus and to the creditors' webhooks.
    this.eventsOut = new EventsOut(this, 'EventsOut', { dossiers: this.dossiers, mailer: this.mailer, environment: baseEnv });

    this.api = new IntakeApi(this, 'Intake', {
      environment: { ...baseEnv, STATE_MACHINE_ARN: stateMachineArn },
      // K#<sha256(key)> -> creditor: one GetItem, nothing else.
      authorizerGrant: (fn) => this.dossiers.grant(fn, ['dynamodb:GetItem']),
      grant: (handler, fn) => this.grantRoute(handler, fn),
      functions: { handoff: handOff },
    });

    // Alarms for the operator: dead letters, executions that failed, functions failing.
    const functions = Object.fromEntries(
      this.node.findAll().filter((c): c is HandlerFunction => c instanceof HandlerFunction).map((fn) => [fn.node.id.replace(/Fn$/, ''), fn]),
    );
    this.operations = new OperationsAlarms(this, 'Operations', {
      stateMachine: this.workflow.stateMachine,
      deadLetterQueues: {
        DeliveryEvents: this.deliveryEvents.deadLetterQueue,
        ExecutionStatus: this.executionWatch.deadLetterQueue,
        Accountants: this.accountants.deadLetterQueue,
        BulkStarts: this.bulk.deadLetterQueue,
        EventsOut: this.eventsOut.deadLetterQueue,
        StallSweep: this.stallSweep.deadLetterQueue,
      },
      functions,
      emails: props.alarmEmails ?? [],
    });
    this.api.functions.get('create-invoice-batch')?.addEnvironment('BULK_START_QUEUE_URL', this.bulk.queue.queueUrl);

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('ApiUrl', this.api.api.url, 'Base URL of the creditor API (x-api-key)');
    output('AdminEndpoint', this.api.api.urlForPath('/admin'), 'Admin API (AWS IAM SigV4): npx amiable ... --endpoint <this>');
    output('TableName', this.dossiers.table.tableName, 'DynamoDB table (dossiers, creditors, keys, evidence log)');
    output('EvidenceBucketName', this.evidence.bucket.bucketName, `Evidence vault (Object Lock ${props.objectLockMode}, ${props.retentionDays} days)`);
    output('AuditorRoleArn', this.auditor.role.roleArn, 'Read-only role on the evidence vault for auditors');
    output('AlarmTopicArn', this.operations.topic.topicArn, 'SNS topic of the operations alarms (subscribe: -c amiable:alarmEmail=ops@example.fr, or by hand)');
  }

  /**
   * What each API route's function may do, and nothing else: the DynamoDB actions it calls, the
   * vault prefixes it writes or reads, SES sending for the routes that send follow-up letters, and
   * the Step Functions calls it makes (lambdas/services/*: intake starts, payments stop, the
   * dossier's course changes stop and start). Used by IntakeApi for every route's function.
   */
  grantRoute(handler: HandlerName, fn: lambda.IFunction): void {
    const sm = this.workflow.stateMachine;
    switch (handler) {
      case 'get-invoice':
        // The dossier item; a long history is read from its evidence-log records (Query, D#<id> E#…).
        this.dossiers.grant(fn, ['dynamodb:GetItem', 'dynamodb:Query']);
        return;
      case 'list-invoices':
        // One Query per page on the listing indexes (byCreditorActivity, byCreditorStatus).
        this.dossiers.grant(fn, ['dynamodb:Query']);
        return;
      case 'admin':
        // Creditor profiles (C#… PROFILE), API keys (K#… and C#… KEY#… items, revoked by DeleteItem)
        // and the creditorRegistry index for the listing.
        this.dossiers.grant(fn, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:DeleteItem']);
        return;
      case 'tasks':
        // Lists open tasks (Query), completes one: call log as evidence, call_logged event, task item.
        this.grantDossierWrites(fn);
        return;
      case 'create-invoice':
      case 'import-invoice':
        // The raw invoice body (or e-invoice file) is kept as evidence; task items; the first
        // execution. The import also reads the creditor profile (GetItem, in the dossier writes);
        // POST /invoices reads the dossier and the profile in one BatchGetItem (adapters/intake-read.ts).
        this.grantDossierWrites(fn, handler === 'create-invoice' ? ['dynamodb:BatchGetItem'] : []);
        sm.grantStartExecution(fn);
        return;
      case 'create-invoice-batch':
        // As create-invoice, but the first executions are queued (SendMessage), never started here.
        this.grantDossierWrites(fn);
        this.bulk.grantQueueStarts(fn);
        return;
      case 'record-payment':
        // The receipt letter (SES); a settling payment stops the waiting execution (never starts one).
        this.grantDossierWrites(fn);
        this.mailer.grantSend(fn);
        this.workflow.grantStop(fn);
        return;
      case 'dossier-actions':
        // Acknowledgments and confirmations (SES); a new execution generation stops the old one and
        // starts the next; resume with a corrected address lifts the debtor's e-mail pause (DeleteItem).
        this.grantDossierWrites(fn, ['dynamodb:DeleteItem']);
        this.mailer.grantSend(fn);
        sm.grantStartExecution(fn);
        this.workflow.grantStop(fn);
        return;
      case 'reports':
        // Summaries by status and activity (Query on the listing indexes), tasks, receivables, the
        // last digest and deferred alerts (Query/GetItem); dossiers active in the period in full
        // (BatchGetItem); the creditor's monthly figures (PutItem).
        this.dossiers.grant(fn, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem']);
        return;
      case 'evidence':
        // Reads the evidence log, appends to it, builds bundles and signs their download links.
        this.grantDossierWrites(fn);
        this.evidence.grantBundles(fn);
        this.exports.grantBundleExports(fn);
        return;
      case 'litigation':
        // The litigation dossier (log read, JSON/PDF kept as evidence); insolvency: the debtor's
        // other dossiers (Query), the stored evidence read back (GetObject on dossiers/*, here
        // through the bundle grant), the declaration drafts, tasks and the message to counsel (SES),
        // waiting executions stopped. An approved hand-off is the hand-off function's (below).
        this.grantDossierWrites(fn);
        this.evidence.grantBundles(fn);
        this.mailer.grantSend(fn);
        this.workflow.grantStop(fn);
        return;
      case 'handoff':
        // Built with the state machine (HandoffFn) and granted there; POST /handoff reuses it.
        return;
      case 'webhooks':
        // Registrations (Query, PutItem, GetItem; deletion marks them: UpdateItem) and delivery logs (Query).
        this.dossiers.grant(fn, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']);
        return;
      default:
        return unknownHandler(handler);
    }
  }

  /**
   * Every function that changes a dossier also appends to the evidence log: a record item in the
   * table and a small JSON fact under dossiers/ in the vault.
   */
  private grantDossierWrites(fn: iam.IGrantable, extra: readonly DynamoAction[] = []): void {
    this.dossiers.grant(fn, [...DOSSIER_WRITER, ...extra]);
    this.evidence.grantEvidencePut(fn);
  }

}

/** A handler added to HandlerName without its grants fails the typecheck here (and the synth). */
function unknownHandler(handler: never): never {
  throw new Error(`no grants defined for handler ${String(handler)} (lib/amiable-stack.ts grantRoute)`);
}
