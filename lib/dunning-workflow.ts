import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeGrantWildcards, wildcardResource } from './nag';
import { tracingEnabled } from './tracing';
import { EXECUTION_RELAY } from '../lambdas/domain/execution-horizon';

export interface DunningWorkflowProps {
  /** The dossier table. The state machine itself reads nothing: each step's Lambda reads under its lease. */
  table: dynamodb.ITable;
  sendNotice: lambda.IFunction;
  /** Runs SendLitigationHandoff (lambdas/handoff.ts): holds for approval or hands off to counsel. */
  handOff: lambda.IFunction;
  markNeedsAttention: lambda.IFunction;
  /** Runs a commitment checkpoint (promise check, instalment reminder or check). */
  reviewCommitment: lambda.IFunction;
}

/**
 * NextAction kinds that are commitment checkpoints rather than stages (lambdas/domain/model.ts),
 * and the relay that hands a dossier on to a new execution before the 1-year limit
 * (lambdas/domain/execution-horizon.ts): all waited for, then run by the review-commitment Lambda.
 */
export const CHECKPOINT_ACTIONS = ['promise_check', 'instalment_reminder', 'instalment_check', EXECUTION_RELAY];

/**
 * The checkpoint that opens a run of four (WaitForInstalmentReminder): a plan's reminder is always
 * followed by its instalment's check, and that check (unless it ends the plan) by the next
 * instalment's reminder and check. The others open a pair (WaitForCommitmentCheckpoint).
 */
const FOUR_CHECKPOINT_ACTION = 'instalment_reminder';

/** Retries of a step after a failure other than a rule violation: 5, 15, 45, 135 s (about 3 minutes). */
export const SEND_RETRIES = 4;
/**
 * The hand-off's step retries longer (then every 5 minutes: about 13 minutes in all): its attempt
 * is the heaviest (it reads every evidence object of the dossier, writes the litigation dossier and
 * a bundle), nothing waits on it by the day, and a retry reuses what a failed attempt wrote
 * (lambdas/services/litigation.ts earlierWork). What still fails after that is flagged.
 */
export const HANDOFF_RETRIES = 6;

/** Why a grant on this state machine's executions ends in a wildcard. */
const EXECUTIONS_REASON =
  'Executions of this one state machine (execution:<its name>:*): execution names are per dossier (a hash of creditor + invoice number, with a -2, -3 suffix on resume) and only known at run time.';

/** Error names a send Lambda raises that no retry can fix (the Catch marks the dossier). */
export const NON_RETRYABLE_ERRORS = ['NoticeRejected', 'DossierNotFound'];

interface StageSpec {
  stage: string;
  /** Readable piece of each state name: FirstReminder, FormalReminder, ... */
  label: string;
  waitName: string;
}

const STAGE_SPECS: StageSpec[] = [
  { stage: 'first_reminder', label: 'FirstReminder', waitName: 'WaitForFirstReminder' },
  { stage: 'formal_reminder', label: 'FormalReminder', waitName: 'WaitForFormalReminder' },
  { stage: 'formal_notice', label: 'FormalNotice', waitName: 'WaitForFormalNotice' },
  { stage: 'litigation_handoff', label: 'LitigationHandoff', waitName: 'WaitForGracePeriodEnd' },
];

/**
 * A Lambda task that acts on the dossier and answers where the execution goes next
 * ({ outcome, nextStage, nextAt } -> $.next). Rule violations are not retried; anything else is,
 * with backoff; what still fails flags the dossier through `onFailure`.
 */
function nextActionStep(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  fields: Record<string, unknown>,
  onFailure: sfn.IChainable,
  maxAttempts = SEND_RETRIES,
): tasks.LambdaInvoke {
  const step = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject({
      dossierId: sfn.JsonPath.stringAt('$.dossierId'),
      executionName: sfn.JsonPath.executionName,
      // Where and since when this execution runs: a next step beyond its horizon continues in a
      // new execution of this state machine (lambdas/services/execution-continuation.ts).
      executionStartTime: sfn.JsonPath.executionStartTime,
      stateMachineArn: sfn.JsonPath.stateMachineId,
      ...fields,
    }),
    // Keep only what the next states read: bounded payload and history size.
    resultSelector: {
      'outcome.$': '$.Payload.outcome',
      'stage.$': '$.Payload.nextStage',
      'at.$': '$.Payload.nextAt',
    },
    resultPath: '$.next',
    retryOnServiceExceptions: false,
  });
  step.addRetry({ errors: NON_RETRYABLE_ERRORS, maxAttempts: 0 });
  step.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(5),
    backoffRate: 3,
    maxAttempts,
    maxDelay: Duration.minutes(5),
  });
  step.addCatch(onFailure, { resultPath: '$.error' });
  return step;
}

/** Outcomes after which the execution goes on (RouteToNextStage reads the next stage); any other ends it. */
const CONTINUING_OUTCOMES = ['sent', 'continue'];

/**
 * The per-invoice escalation, one Standard execution per dossier, readable top to bottom in the
 * console. The stages are a chain, entered once through the route:
 *
 *   RouteToNextStage -> WaitForFirstReminder -> SendFirstReminder -> WaitForFormalReminder
 *     -> SendFormalReminder -> WaitForFormalNotice -> SendFormalNotice -> WaitForGracePeriodEnd
 *     -> SendLitigationHandoff (end)
 *
 * No Choice between a send and the next Wait: the schedule never skips a stage
 * (lambdas/domain/schedule.ts), so after a stage goes out the next one is always the following
 * stage; a send whose dossier goes on to anything else (a stale execution's retried send) moves
 * the dossier to a new execution (continueOnChain, lambdas/services/execution-continuation.ts).
 * A send that ends the course (not_active: paid, cancelled, paused; continued: a new execution
 * carries the dossier on) answers "now" as its instant, and every following step of the chain
 * passes that outcome through at once without touching the dossier (passedThrough,
 * lambdas/services/step-outcome.ts, the same as a run of commitment checkpoints): a full
 * escalation is 9 state transitions; an early end costs one Wait and one short pass-through
 * invocation per stage left, all at once.
 *
 * The hand-off is the last stage: the execution ends with its step, whatever its outcome
 * (handed_off, awaiting_approval, not_active, or an ending passed through; the execution's output
 * says which, in $.next.outcome), so no choice and no terminal state follow it. An approved
 * hand-off runs outside the execution (POST /invoices/{id}/handoff), and a dossier whose course
 * changes later (payment, plan, dispute) is carried by a new execution.
 *
 * A promise to pay or a payment plan moves the dossier to a new execution that waits for its
 * commitment checkpoints several at a time, so the choice is paid once per run of checkpoints;
 * when one of a run ends the commitment (or resumes a stage), the following ones pass its outcome
 * through at once. A plan's reminder opens a run of four (reminder, check, next reminder, next
 * check: a reminder is always followed by its check); any other checkpoint a pair:
 *
 *   RouteToNextStage -> WaitForInstalmentReminder -> ReviewInstalmentReminder
 *     -> WaitForInstalmentCheck -> ReviewInstalmentCheck -> WaitForCommitmentCheckpoint -> ...
 *   RouteToNextStage -> WaitForCommitmentCheckpoint -> ReviewCommitment
 *     -> WaitForFollowingCheckpoint -> ReviewFollowingCheckpoint -> RouteToNextStage
 *
 * Each step is ONE Lambda task that decides and acts: it re-reads the dossier under its lease
 * (a paid, cancelled, paused or superseded dossier ends the execution: outcome `not_active`),
 * sends, and returns where the execution goes next ({ outcome, nextStage, nextAt } -> $.next;
 * the next wait is computed in one place, lambdas/services/step-outcome.ts). There is no separate
 * read-and-choice before a send: a full escalation is 9 state transitions, a 6-instalment plan
 * 26 in its own execution (Step Functions bills each one: ../shared/reference/aws-facts.md).
 *
 * No execution waits past its start + 300 days (lambdas/domain/execution-horizon.ts; the limit is
 * 365): a task whose next step lies further returns outcome "continued" after starting the next
 * generation, and this one ends (at DossierNoLongerActive after a review, at the end of the chain
 * after a send); a new execution whose first step lies further waits for an "execution_relay"
 * checkpoint instead, which does the same.
 *
 * Input: { dossierId, next: { stage, at } }. Every wait is a timestamp taken from the dossier's
 * schedule (no polling). A paused dossier is resumed by a NEW execution whose input names the
 * stage to resume at (RouteToNextStage jumps into the chain at that stage's Wait). An execution
 * started under the definition before the chain (a route after every send) runs on as it started:
 * the state names are the same and the sends answer it as before. Only JSONPath features the
 * local engine executes faithfully are used (no JSONata, no variables, no task tokens).
 */
export class DunningWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: DunningWorkflowProps) {
    super(scope, id);

    const closed = new sfn.Succeed(this, 'DossierNoLongerActive', {
      comment: 'Reached from the route: a commitment ended, its run of checkpoints passed the ending through, or it continued in a new execution (outcome "continued"). A send that ends the course ends at the end of the chain of stages instead.',
    });
    const failed = new sfn.Fail(this, 'EscalationFailed', {
      error: 'EscalationFailed',
      cause: 'A step failed after its retries; the dossier is flagged needs_attention.',
    });
    const markNeedsAttention = new tasks.LambdaInvoke(this, 'MarkNeedsAttention', {
      lambdaFunction: props.markNeedsAttention,
      payload: sfn.TaskInput.fromObject({
        dossierId: sfn.JsonPath.stringAt('$.dossierId'),
        executionName: sfn.JsonPath.executionName,
        error: sfn.JsonPath.objectAt('$.error'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: true,
    }).next(failed);

    const route = new sfn.Choice(this, 'RouteToNextStage', {
      comment: 'New dossiers start at the first reminder; resumed dossiers at the stage they had reached; commitments at their checkpoint; after a run of checkpoints, where its last review said.',
    })
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.next.outcome'),
          sfn.Condition.not(sfn.Condition.or(...CONTINUING_OUTCOMES.map((o) => sfn.Condition.stringEquals('$.next.outcome', o)))),
        ),
        closed,
      );

    // The chain of stages: each send is followed by the Wait of the following stage, no Choice in
    // between (the schedule never skips a stage; a send that goes on to anything else hands the
    // dossier to a new execution: execution-continuation.ts continueOnChain). Every send is handed
    // `next` ($.next): what the send before answered, passed through when it ended the course; or,
    // when the route jumped to this stage's Wait (a new or resumed execution), that execution's input.
    let previous: tasks.LambdaInvoke | null = null;
    for (const spec of STAGE_SPECS) {
      const wait = new sfn.Wait(this, spec.waitName, { time: sfn.WaitTime.timestampPath('$.next.at') });
      const handoff = spec.stage === 'litigation_handoff';
      const send = nextActionStep(
        this,
        `Send${spec.label}`,
        handoff ? props.handOff : props.sendNotice,
        { stage: spec.stage, next: sfn.JsonPath.objectAt('$.next') },
        markNeedsAttention,
        handoff ? HANDOFF_RETRIES : SEND_RETRIES,
      );
      wait.next(send);
      previous?.next(wait);
      previous = send;
      route.when(sfn.Condition.stringEquals('$.next.stage', spec.stage), wait);
    }
    // The hand-off ends the execution whatever its outcome (see above).

    // A review that may follow another passes it `next` (what that one answered): with an outcome
    // it passes through what ended the commitment or resumed a stage (review-commitment: `next`);
    // entered from the route (a new execution's input has no outcome) it runs the due checkpoint.
    const reviewStep = (id: string) =>
      nextActionStep(this, id, props.reviewCommitment, { action: sfn.JsonPath.stringAt('$.next.stage'), next: sfn.JsonPath.objectAt('$.next') }, markNeedsAttention);
    const waitCheckpoint = new sfn.Wait(this, 'WaitForCommitmentCheckpoint', {
      time: sfn.WaitTime.timestampPath('$.next.at'),
    });
    const review = reviewStep('ReviewCommitment');
    // The second of the pair: when the first ended the commitment (or resumed a stage), it passes
    // that outcome through without touching the dossier (review-commitment: `prior`, `at`).
    const waitFollowing = new sfn.Wait(this, 'WaitForFollowingCheckpoint', {
      time: sfn.WaitTime.timestampPath('$.next.at'),
    });
    const reviewFollowing = nextActionStep(
      this,
      'ReviewFollowingCheckpoint',
      props.reviewCommitment,
      {
        action: sfn.JsonPath.stringAt('$.next.stage'),
        at: sfn.JsonPath.stringAt('$.next.at'),
        prior: sfn.JsonPath.stringAt('$.next.outcome'),
      },
      markNeedsAttention,
    );
    waitCheckpoint.next(review);
    review.next(waitFollowing);
    waitFollowing.next(reviewFollowing);
    reviewFollowing.next(route);
    // A plan's reminder opens a run of four: reminder and check, then the pair above (normally the
    // next instalment's reminder and check).
    const waitReminder = new sfn.Wait(this, 'WaitForInstalmentReminder', { time: sfn.WaitTime.timestampPath('$.next.at') });
    const reviewReminder = reviewStep('ReviewInstalmentReminder');
    const waitCheck = new sfn.Wait(this, 'WaitForInstalmentCheck', { time: sfn.WaitTime.timestampPath('$.next.at') });
    const reviewCheck = reviewStep('ReviewInstalmentCheck');
    waitReminder.next(reviewReminder);
    reviewReminder.next(waitCheck);
    waitCheck.next(reviewCheck);
    reviewCheck.next(waitCheckpoint);
    for (const action of CHECKPOINT_ACTIONS) {
      route.when(sfn.Condition.stringEquals('$.next.stage', action), action === FOUR_CHECKPOINT_ACTION ? waitReminder : waitCheckpoint);
    }
    route.otherwise(closed);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(route),
      comment: 'Amiable: per-invoice amicable collection escalation',
      tracingEnabled: tracingEnabled(this),
      // Every state transition (cdk-nag SF1), without the state input and output: those carry debtor
      // names and addresses, which stay in the table and the evidence vault, not in logs.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      // The Standard maximum. No execution reaches it: each hands over after at most 300 days
      // (execution-horizon.ts); should one still end TIMED_OUT, lib/execution-watch.ts flags it.
      timeout: Duration.days(365),
    });

    const role = this.stateMachine.role;
    if (!tracingEnabled(this)) {
      acknowledge(
        this.stateMachine,
        'SF2',
        'X-Ray tracing is a deployment switch (-c amiable:tracing=true, lib/tracing.ts), off by default: every transition is already logged (level ALL) and an execution that ends badly flags its dossier (lib/execution-watch.ts).',
      );
    }
    acknowledge(
      role,
      'IAM5[Resource::*]',
      'Step Functions logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups...) and the X-Ray actions (with -c amiable:tracing=true) support no resource-level permissions, so IAM only accepts Resource "*"; the state machine has no other "*" grant.',
    );
    for (const fn of [props.sendNotice, props.handOff, props.markNeedsAttention, props.reviewCommitment]) {
      acknowledge(
        role,
        wildcardResource(role, `${fn.functionArn}:*`),
        'LambdaInvoke grants this one function and its qualified ARNs (function:<name>:*, versions and aliases); no other function is reachable.',
      );
    }
  }

  /**
   * states:StartExecution on this state machine for the steps that continue a dossier in a new
   * execution (lambdas/services/execution-continuation.ts). A policy of its own, not the roles'
   * default policy: the functions do not wait for it, so the state machine (which references the
   * functions) and this grant (which references the state machine) make no cycle.
   */
  grantContinuationStart(...fns: lambda.IFunction[]): iam.Policy {
    return new iam.Policy(this, 'ContinuationStartPolicy', {
      roles: fns.map((fn) => fn.role!),
      statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] })],
    });
  }

  /** states:StopExecution on this state machine's executions (a payment, a cancellation, a pause). */
  grantStop(fn: lambda.IFunction): iam.Grant {
    const grant = this.stateMachine.grantExecution(fn, 'states:StopExecution');
    acknowledgeGrantWildcards(fn, grant, EXECUTIONS_REASON);
    return grant;
  }
}
