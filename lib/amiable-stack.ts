import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HandlerName } from './api-routes';
import { DeliveryEvents } from './delivery-events';
import { DossierTable } from './dossier-table';
import { DunningWorkflow } from './dunning-workflow';
import { EvidenceVault, ObjectLockMode } from './evidence-vault';
import { HandlerFunction } from './handler-function';
import { IntakeApi } from './intake-api';
import { Mailer } from './mailer';
import { acknowledgeGrantWildcards } from './nag';

/** Why a grant on this state machine's executions ends in a wildcard. */
const EXECUTIONS_REASON =
  'Executions of this one state machine (execution:<its name>:*): execution names are per dossier (a hash of creditor + invoice number, with a -2, -3 suffix on resume) and only known at run time.';

export interface AmiableStackProps extends StackProps {
  /** "prod" retains data and locks evidence in COMPLIANCE mode by default. */
  stage: string;
  objectLockMode: ObjectLockMode;
  retentionDays: number;
  /** Domain used in Message-IDs (and the verified SES identity's domain). */
  mailDomain: string;
}

/** Composes the constructs; each concern lives in its own file. */
export class AmiableStack extends Stack {
  readonly dossiers: DossierTable;
  readonly evidence: EvidenceVault;
  readonly mailer: Mailer;
  readonly workflow: DunningWorkflow;
  readonly api: IntakeApi;
  readonly deliveryEvents: DeliveryEvents;

  constructor(scope: Construct, id: string, props: AmiableStackProps) {
    super(scope, id, props);
    const removalPolicy = props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.dossiers = new DossierTable(this, 'Dossiers', { removalPolicy });
    this.evidence = new EvidenceVault(this, 'Evidence', {
      lockMode: props.objectLockMode,
      retentionDays: props.retentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.mailer = new Mailer(this, 'Mailer');

    const baseEnv: Record<string, string> = {
      TABLE_NAME: this.dossiers.table.tableName,
      EVIDENCE_BUCKET: this.evidence.bucket.bucketName,
      EVIDENCE_LOCK_MODE: props.objectLockMode,
      EVIDENCE_RETENTION_DAYS: String(props.retentionDays),
      SES_CONFIGURATION_SET: this.mailer.configurationSet.configurationSetName,
      MAIL_DOMAIN: props.mailDomain,
    };

    const sendNotice = new HandlerFunction(this, 'SendNoticeFn', {
      handler: 'send-notice',
      environment: baseEnv,
      description: 'Renders a notice, sends it with SES and stores the exact bytes as evidence',
    });
    const markNeedsAttention = new HandlerFunction(this, 'MarkNeedsAttentionFn', {
      handler: 'mark-needs-attention',
      environment: baseEnv,
      description: "Flags a dossier needs_attention when a workflow step failed",
    });
    const reviewCommitment = new HandlerFunction(this, 'ReviewCommitmentFn', {
      handler: 'review-commitment',
      environment: baseEnv,
      description: 'Keeps or breaks a promise or payment plan at its checkpoint; sends instalment reminders',
    });
    this.grantSend(sendNotice);
    this.grantSend(reviewCommitment);
    this.dossiers.grantReadWriteData(markNeedsAttention);

    this.workflow = new DunningWorkflow(this, 'Workflow', {
      table: this.dossiers.table,
      sendNotice,
      markNeedsAttention,
      reviewCommitment,
    });
    const stateMachineArn = this.workflow.stateMachine.stateMachineArn;

    const deliveryEventsFn = new HandlerFunction(this, 'DeliveryEventsFn', {
      handler: 'delivery-events',
      environment: { ...baseEnv, STATE_MACHINE_ARN: stateMachineArn },
      description: 'Records SES bounces, complaints, rejects and deliveries on the dossier',
    });
    this.dossiers.grantReadWriteData(deliveryEventsFn);
    this.grantEvidencePut(deliveryEventsFn);
    acknowledgeGrantWildcards(
      deliveryEventsFn,
      this.workflow.stateMachine.grantExecution(deliveryEventsFn, 'states:StopExecution'),
      EXECUTIONS_REASON,
    );
    this.deliveryEvents = new DeliveryEvents(this, 'DeliveryEvents', { mailer: this.mailer, handler: deliveryEventsFn });

    this.api = new IntakeApi(this, 'Intake', {
      environment: { ...baseEnv, STATE_MACHINE_ARN: stateMachineArn },
      authorizerGrant: (fn) => this.dossiers.grantReadData(fn),
      grant: (handler, fn) => this.grantRoute(handler, fn),
    });
  }

  /**
   * Puts evidence with an explicit retention (no read, no delete, no tagging or legal hold), under
   * dossiers/ only: every evidence key is dossiers/<dossierId>/... (lambdas/services).
   */
  private grantEvidencePut(fn: lambda.IFunction): void {
    const grant = iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      resourceArns: [this.evidence.bucket.arnForObjects('dossiers/*')],
    });
    acknowledgeGrantWildcards(
      fn,
      grant,
      'Evidence objects are keyed per dossier (dossiers/<dossierId>/notices|delivery|calls/...), ids known only at run time; put-only on that prefix of the evidence bucket: no read, no delete, and Object Lock keeps what was put.',
    );
  }

  private grantSend(fn: lambda.IFunction): void {
    this.dossiers.grantReadWriteData(fn);
    this.grantEvidencePut(fn);
    const grant = iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [
        `arn:${this.partition}:ses:${this.region}:${this.account}:identity/*`,
        `arn:${this.partition}:ses:${this.region}:${this.account}:configuration-set/${this.mailer.configurationSet.configurationSetName}`,
      ],
    });
    acknowledgeGrantWildcards(
      fn,
      grant,
      "SES identities of this account and region (identity/*): the sender address or domain is each creditor's, from its profile in the table, not known at deploy time; sending is still bound to this stack's configuration set.",
    );
  }

  private grantRoute(handler: HandlerName, fn: lambda.IFunction): void {
    const sm = () => this.workflow.stateMachine;
    switch (handler) {
      case 'get-invoice':
      case 'list-invoices':
        this.dossiers.grantReadData(fn);
        return;
      case 'admin':
        // Creditor profiles and API keys (C#…, K#… items) and the creditorRegistry index.
        this.dossiers.grantReadWriteData(fn);
        return;
      case 'tasks':
        // Completing a task writes the call log (evidence), the dossier event and the task item.
        this.dossiers.grantReadWriteData(fn);
        this.grantEvidencePut(fn);
        return;
      case 'create-invoice':
        this.dossiers.grantReadWriteData(fn);
        sm().grantStartExecution(fn);
        return;
      case 'record-payment':
      case 'dossier-actions':
        this.grantSend(fn);
        sm().grantStartExecution(fn);
        acknowledgeGrantWildcards(fn, sm().grantExecution(fn, 'states:StopExecution', 'states:DescribeExecution'), EXECUTIONS_REASON);
        return;
    }
  }
}
