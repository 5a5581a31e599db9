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
    this.dossiers.table.grantReadWriteData(markNeedsAttention);

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
    this.dossiers.table.grantReadWriteData(deliveryEventsFn);
    this.grantEvidencePut(deliveryEventsFn);
    this.workflow.stateMachine.grantExecution(deliveryEventsFn, 'states:StopExecution');
    this.deliveryEvents = new DeliveryEvents(this, 'DeliveryEvents', { mailer: this.mailer, handler: deliveryEventsFn });

    this.api = new IntakeApi(this, 'Intake', {
      environment: { ...baseEnv, STATE_MACHINE_ARN: stateMachineArn },
      authorizerGrant: (fn) => this.dossiers.table.grantReadData(fn),
      grant: (handler, fn) => this.grantRoute(handler, fn),
    });
  }

  /** Puts evidence with an explicit retention (no read, no delete). */
  private grantEvidencePut(fn: lambda.IFunction): void {
    this.evidence.bucket.grantPut(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObjectRetention'],
        resources: [this.evidence.bucket.arnForObjects('*')],
      }),
    );
  }

  private grantSend(fn: lambda.IFunction): void {
    this.dossiers.table.grantReadWriteData(fn);
    this.grantEvidencePut(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          `arn:${this.partition}:ses:${this.region}:${this.account}:identity/*`,
          `arn:${this.partition}:ses:${this.region}:${this.account}:configuration-set/${this.mailer.configurationSet.configurationSetName}`,
        ],
      }),
    );
  }

  private grantRoute(handler: HandlerName, fn: lambda.IFunction): void {
    const sm = () => this.workflow.stateMachine;
    switch (handler) {
      case 'get-invoice':
        this.dossiers.table.grantReadData(fn);
        return;
      case 'tasks':
        // Completing a task writes the call log (evidence), the dossier event and the task item.
        this.dossiers.table.grantReadWriteData(fn);
        this.grantEvidencePut(fn);
        return;
      case 'create-invoice':
        this.dossiers.table.grantReadWriteData(fn);
        sm().grantStartExecution(fn);
        return;
      case 'record-payment':
      case 'dossier-actions':
        this.grantSend(fn);
        sm().grantStartExecution(fn);
        sm().grantExecution(fn, 'states:StopExecution', 'states:DescribeExecution');
        return;
    }
  }
}
