import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resolveSystem } from '../../local/template';
import { PROD, synthTemplate as synth } from './synth';
import { CHECKPOINT_CHAIN } from '../../lib/dunning-workflow';

describe('the synthesized stack', () => {
  const template = synth();

  it('locks evidence: Object Lock at creation, versioning, GOVERNANCE for a test stack, no public access, TLS only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
    });
    const policies = template.findResources('AWS::S3::BucketPolicy');
    const denyInsecure = Object.values(policies).some((p: any) =>
      p.Properties.PolicyDocument.Statement.some(
        (s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    );
    expect(denyInsecure).toBe(true);
  });

  it('makes the lock mode a deployment setting: COMPLIANCE for production', () => {
    const prod = synth({ ...PROD, 'amiable:objectLockMode': 'COMPLIANCE' });
    prod.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE' } } },
    });
    expect(() => synth({ 'amiable:objectLockMode': 'LOOSE' })).toThrow(/COMPLIANCE or GOVERNANCE/);
  });

  it('keeps dossiers in an on-demand, encrypted table with PITR, a per-creditor due index and the listing indexes', () => {
    const index = (name: string, hash: string, range: string, include?: string[]) =>
      Match.objectLike({
        IndexName: name,
        KeySchema: [
          { AttributeName: hash, KeyType: 'HASH' },
          { AttributeName: range, KeyType: 'RANGE' },
        ],
        Projection: include ? { ProjectionType: 'INCLUDE', NonKeyAttributes: include } : { ProjectionType: 'KEYS_ONLY' },
      });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        index('byCreditorNextAction', 'creditorId', 'nextActionAt'),
        // GET /invoices: one Query per page, the summary projected (no read of the dossiers).
        index('byCreditorActivity', 'creditorId', 'activityKey', ['summary', 'searchText', 'debtorRefs']),
        index('byCreditorStatus', 'creditorStatus', 'activityKey', ['summary', 'searchText', 'debtorRefs']),
        // GET /admin/creditors.
        index('creditorRegistry', 'registry', 'registryId', ['profile', 'createdAt', 'updatedAt']),
      ],
    });
  });

  it('routes SES events to the default EventBridge bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['delivery', 'bounce', 'complaint']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
  });

  it("sends the configuration set's bounces, complaints, rejects, deliveries and delays to the delivery-events Lambda", () => {
    // The other rule watches executions (test/infra/operations.test.ts).
    const rules = template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.ses'] } } });
    const ids = Object.keys(rules);
    expect(ids).toHaveLength(1);
    const rule = rules[ids[0]].Properties;
    const configSetId = Object.keys(template.findResources('AWS::SES::ConfigurationSet'))[0];
    expect(rule.EventBusName).toBe('default');
    expect(rule.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': expect.arrayContaining([
        'Email Bounced',
        'Email Complaint Received',
        'Email Rejected',
        'Email Delivered',
        'Email Delivery Delayed',
      ]),
      // Only this stack's configuration set: other senders of the account are not ours.
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configSetId }] } } },
    });
    expect(rule.EventPattern['detail-type']).toHaveLength(5);
    const fns = template.findResources('AWS::Lambda::Function');
    const fnId = Object.keys(fns).find((id) => fns[id].Metadata?.['amiable:handler'] === 'delivery-events')!;
    expect(fnId).toBeDefined();
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) => id.startsWith('DeliveryEvents'))!;
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
    // Failures inside the function end in the same dead-letter queue after Lambda's retries.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(fns[fnId].Properties.Environment.Variables).toHaveProperty('STATE_MACHINE_ARN');
  });

  it('grants the delivery-events Lambda only the table, evidence puts and StopExecution', () => {
    const roleRef = (template.findResources('AWS::Lambda::Function') as Record<string, any>);
    const fnId = Object.keys(roleRef).find((id) => roleRef[id].Metadata?.['amiable:handler'] === 'delivery-events')!;
    const role = roleRef[fnId].Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      p.Properties.Roles.some((r: any) => r.Ref === role),
    ) as any[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions: string[] = statements.flatMap((s: any) => [].concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 's3:PutObject', 's3:PutObjectRetention', 'states:StopExecution']));
    expect(actions.filter((a) => a.startsWith('ses:'))).toEqual([]);
    expect(actions).not.toContain('states:StartExecution');
    expect(actions.some((a) => /s3:DeleteObject|s3:GetObject|s3:\*|dynamodb:\*|states:\*/.test(a))).toBe(false);
    const stop = statements.find((s: any) => [].concat(s.Action).includes('states:StopExecution' as never));
    // On the state machine's executions only.
    expect(JSON.stringify(stop.Resource)).toContain(':execution:');
  });

  it('runs functions on a supported Node.js runtime (22+), never 20.x', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const ours = Object.values(fns).filter((f: any) => f.Metadata?.['amiable:handler']);
    expect(ours.length).toBeGreaterThanOrEqual(5);
    for (const f of ours as any[]) expect(f.Properties.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
  });

  it('has a Standard state machine whose stages are explicit and in order', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
    const { definition } = resolveSystem(template.toJSON());
    const states = definition.States;
    for (const name of [
      'RouteToNextStage',
      'WaitForFirstReminder',
      'SendFirstReminder',
      'WaitForFormalReminder',
      'SendFormalReminder',
      'WaitForFormalNotice',
      'SendFormalNotice',
      'WaitForGracePeriodEnd',
      'SendLitigationHandoff',
      'MarkNeedsAttention',
    ]) {
      expect(states[name], name).toBeDefined();
    }
    // Waits are timestamps from the dossier's schedule, never fixed polling intervals.
    const waits = Object.values(states).filter((s: any) => s.Type === 'Wait');
    // Four stage waits and the chain of 12 commitment-checkpoint waits.
    expect(waits.length).toBe(4 + 12);
    for (const w of waits as any[]) expect(w.TimestampPath).toBe('$.next.at');
    // The chain: each stage is a wait and ONE task (no separate read-and-choice before a send: the
    // task re-reads under its lease), followed by the following stage's wait with no choice between.
    const chain = ['WaitForFirstReminder', 'SendFirstReminder', 'WaitForFormalReminder', 'SendFormalReminder'];
    chain.push('WaitForFormalNotice', 'SendFormalNotice', 'WaitForGracePeriodEnd', 'SendLitigationHandoff');
    for (let i = 0; i + 1 < chain.length; i++) expect(states[chain[i]].Next, chain[i]).toBe(chain[i + 1]);
    // Every send is handed what the execution holds as next, to pass an ending through.
    for (const name of chain.filter((n) => n.startsWith('Send'))) {
      expect(states[name].Parameters.Payload, name).toMatchObject({ 'next.$': '$.next' });
    }
    // The hand-off, the last stage, ends the execution whatever its outcome (no choice, no terminal state after it).
    expect(states.SendLitigationHandoff.End).toBe(true);
    expect(states.SendLitigationHandoff.Next).toBeUndefined();
    expect(states.HandedOff).toBeUndefined();
    expect(states.AwaitingHandoffApproval).toBeUndefined();
    expect(Object.values(states).filter((s: any) => s.Type === 'Choice')).toHaveLength(1);
    expect(Object.keys(states).some((n) => n.startsWith('CheckBefore'))).toBe(false);
    const routed = states.RouteToNextStage.Choices.map((c: any) => [c.StringEquals, c.Next]);
    // A new or resumed execution jumps into the chain at its stage's wait.
    expect(routed).toContainEqual(['first_reminder', 'WaitForFirstReminder']);
    expect(routed).toContainEqual(['formal_reminder', 'WaitForFormalReminder']);
    expect(routed).toContainEqual(['formal_notice', 'WaitForFormalNotice']);
    expect(routed).toContainEqual(['litigation_handoff', 'WaitForGracePeriodEnd']);
    // Ending outcomes first (guarded by IsPresent: a new execution's input has no outcome yet).
    expect(states.RouteToNextStage.Choices[0].Next).toBe('DossierNoLongerActive');
    expect(states.RouteToNextStage.Default).toBe('DossierNoLongerActive');
    // Promises and plans: one chain of 12 Wait/Review pairs (CHECKPOINT_CHAIN), no choice between
    // two reviews, the last review followed by the route; its last four pairs keep the names of the
    // definition before (local-mode executions parked there resume by name).
    const checkpointChain = [
      ...Array.from({ length: 8 }, (_, i) => [`WaitForCheckpoint${i + 1}`, `ReviewCheckpoint${i + 1}`]).flat(),
      ...['WaitForInstalmentReminder', 'ReviewInstalmentReminder', 'WaitForInstalmentCheck', 'ReviewInstalmentCheck'],
      ...['WaitForCommitmentCheckpoint', 'ReviewCommitment', 'WaitForFollowingCheckpoint', 'ReviewFollowingCheckpoint'],
    ];
    expect(CHECKPOINT_CHAIN).toBe(12);
    for (let i = 0; i + 1 < checkpointChain.length; i++) expect(states[checkpointChain[i]].Next, checkpointChain[i]).toBe(checkpointChain[i + 1]);
    expect(states.ReviewFollowingCheckpoint.Next).toBe('RouteToNextStage');
    for (const [i, name] of checkpointChain.filter((n) => n.startsWith('Review')).entries()) {
      // Every review runs the due checkpoint, is handed what the execution holds as next (to pass
      // an ending through), knows how many pairs follow it (an early end there stops the execution
      // rather than pass through them: execution-continuation.ts endChainEarly), and answers how
      // many checkpoints are left as planned.
      expect(states[name].Parameters.Payload, name).toMatchObject({ 'action.$': '$.next.stage', 'next.$': '$.next', 'executionStartTime.$': '$$.Execution.StartTime', pairsAfter: 11 - i });
      expect(states[name].ResultSelector, name).toMatchObject({ 'left.$': '$.Payload.left', 'outcome.$': '$.Payload.outcome' });
      expect(states[name].Catch[0].Next, name).toBe('MarkNeedsAttention');
    }
    // The route enters the chain where as many reviews are left as planned ($.next.left, guarded by
    // IsPresent), at its start for 12 or more, at its last review without a count.
    const checkpointKinds = ['promise_check', 'instalment_reminder', 'instalment_check', 'execution_relay'];
    const entries = states.RouteToNextStage.Choices.filter((c: any) => c.And?.some((x: any) => x.Variable === '$.next.left'));
    expect(entries).toHaveLength(11);
    for (const c of entries) {
      expect(c.And[0]).toEqual({ Variable: '$.next.left', IsPresent: true });
      expect(c.And[2].Or.map((x: any) => x.StringEquals)).toEqual(checkpointKinds);
      const left = c.And[1].NumericEquals ?? c.And[1].NumericGreaterThanEquals;
      expect(c.Next, String(left)).toBe(checkpointChain[2 * (12 - Math.min(left, 12))]);
    }
    expect(entries[0].And[1]).toEqual({ Variable: '$.next.left', NumericGreaterThanEquals: 12 });
    for (const action of checkpointKinds) expect(routed).toContainEqual([action, 'WaitForFollowingCheckpoint']);
    // Every task has a Catch that marks the dossier.
    for (const [name, s] of Object.entries<any>(states)) {
      if (name.startsWith('Send')) {
        expect(s.Catch?.[0]?.Next, name).toBe('MarkNeedsAttention');
        expect(s.Retry?.length, name).toBeGreaterThan(0);
        // The hand-off, the heaviest attempt and one that resumes its stored work, is retried longer.
        const all = s.Retry.find((r: any) => r.ErrorEquals.includes('States.ALL'));
        expect(all?.MaxAttempts, name).toBe(name === 'SendLitigationHandoff' ? 6 : 4);
      }
      // Only features the local engine executes faithfully.
      expect(s.QueryLanguage, name).toBeUndefined();
      expect(s.Assign, name).toBeUndefined();
      expect(JSON.stringify(s), name).not.toContain('waitForTaskToken');
    }
  });

  it('grants least privilege: the send function may put evidence and send mail, not delete', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)));
    expect(actions).toContain('ses:SendRawEmail');
    expect(actions).toContain('states:StopExecution');
    expect(actions.some((a: string) => /s3:DeleteObject|s3:\*|dynamodb:\*|states:\*/.test(a))).toBe(false);
    expect(actions).not.toContain('s3:BypassGovernanceRetention');
  });

  it('lets the tasks function write the table and put evidence, and nothing more (no mail, no workflow)', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const [, tasksFn] = Object.entries<any>(fns).find(([, f]) => f.Metadata?.['amiable:handler'] === 'tasks')!;
    const roleId = tasksFn.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    const actions = policies
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [].concat(st.Action)));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 's3:PutObject', 's3:PutObjectRetention']));
    expect(actions.some((a: string) => /^(ses|states):|s3:Get|s3:Delete/.test(a))).toBe(false);
  });

  it('fronts the API with a Lambda authorizer on x-api-key and rewrites gateway errors', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.x-api-key',
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'UNAUTHORIZED', StatusCode: '401' });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]),
    });
    // A usage plan limits API Gateway API keys only, which this API does not use: none.
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });

  it('passes e-invoice files to the import function byte for byte (binary media types), with memory for a PDF', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['application/pdf', 'application/xml', 'text/xml'] });
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    const importFn = fns.find((f) => f.Metadata?.['amiable:handler'] === 'import-invoice');
    expect(importFn?.Properties.MemorySize).toBe(1024);
    const createFn = fns.find((f) => f.Metadata?.['amiable:handler'] === 'create-invoice');
    expect(createFn?.Properties.MemorySize).toBe(512);
  });
});
