import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AmiableStack } from './amiable-stack';
import { ObjectLockMode } from './evidence-vault';
import { SOURCE_MAPS_CONTEXT_KEY } from './handler-function';
import { TRACING_CONTEXT_KEY } from './tracing';
import { enableNag } from './nag';
import { checkBuiltinPolicies } from '../lambdas/domain/policy';

import { DEFAULT_REGION, STACK_NAME } from './names';
export { DEFAULT_REGION, STACK_NAME };

/**
 * Production has a stack of its own name: a `cdk deploy` that forgets `-c amiable:stage=prod`
 * builds or updates the test stack "Amiable", and can never turn the production stack into a
 * test one (1-day GOVERNANCE default retention, a table without deletion protection).
 */
export function stackNameFor(stage: Stage): string {
  return stage === 'prod' ? `${STACK_NAME}-prod` : STACK_NAME;
}

/**
 * Deployment stages. A typo ("production") must not silently give a deletable test stack, so an
 * unknown stage fails the synth.
 * - prod: COMPLIANCE lock, 10-year retention, table and bucket retained, a real sender domain.
 * - test (default): GOVERNANCE lock, 1-day retention, everything but the vault torn down on delete.
 * - local: what local mode synthesizes (local/template.ts); its S3 layer enforces the lock itself.
 */
export const STAGES = ['prod', 'test', 'local'] as const;
export type Stage = (typeof STAGES)[number];

/** Every context key the app reads (documented with defaults in DEPLOY.md). */
export const CONTEXT_KEYS = {
  stage: 'amiable:stage',
  objectLockMode: 'amiable:objectLockMode',
  allowGovernanceInProd: 'amiable:allowGovernanceInProd',
  retentionDays: 'amiable:retentionDays',
  archiveAfterDays: 'amiable:archiveAfterDays',
  senderDomain: 'amiable:senderDomain',
  auditorPrincipals: 'amiable:auditorPrincipals',
  alarmEmail: 'amiable:alarmEmail',
  /** Read by each function (lib/handler-function.ts), not by readSettings. */
  sourceMaps: SOURCE_MAPS_CONTEXT_KEY,
  /** Read by each construct that traces (lib/tracing.ts), not by readSettings. */
  tracing: TRACING_CONTEXT_KEY,
} as const;

const STAGE_DEFAULTS: Record<Stage, { lockMode: ObjectLockMode; retentionDays: number }> = {
  // 10 years: French commercial records (C. com. L123-22) outlast the 5-year prescription.
  prod: { lockMode: 'COMPLIANCE', retentionDays: 3650 },
  // GOVERNANCE + 1 day: a test stack's evidence can be removed the day after (DEPLOY.md, tear-down).
  test: { lockMode: 'GOVERNANCE', retentionDays: 1 },
  // Local data lives in a directory the user may delete; the local S3 layer still enforces the lock.
  local: { lockMode: 'GOVERNANCE', retentionDays: 3650 },
};

/** Days before evidence moves to Glacier Instant Retrieval (lib/evidence-vault.ts says why 90). */
export const DEFAULT_ARCHIVE_AFTER_DAYS = 90;

export interface DeploymentSettings {
  stage: Stage;
  objectLockMode: ObjectLockMode;
  retentionDays: number;
  archiveAfterDays: number;
  /** The SES sending domain; undefined when none is configured (test and local stages only). */
  senderDomain?: string;
  /** Principal ARNs that may assume the auditor role; empty = the account root (its admins delegate). */
  auditorPrincipals: string[];
  /** Operators' addresses subscribed to the alarms topic (lib/operations-alarms.ts); may be empty. */
  alarmEmails: string[];
}

/**
 * The context cdk.json gives the CDK CLI (feature flags), for Apps built in-process: the tests and
 * local mode build `new App({ context: appContext(...) })` so they synthesize the very template a
 * deploy would. `extra` wins over cdk.json.
 */
export function appContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
  return { ...(cdkJson.context ?? {}), ...extra };
}

/** Reads the deployment settings from CDK context (cdk.json or -c key=value) and builds the stack. */
export function buildApp(app: App, options: BuildOptions = {}): AmiableStack {
  requireFeatureFlags(app);
  // The built-in collection policies are constants the Lambdas trust (domain/policy.ts): a deploy
  // whose policies break the rules stops here, at synth.
  checkBuiltinPolicies();
  const settings = readSettings((key) => app.node.tryGetContext(key));
  if (options.nag ?? true) enableNag(app);
  return new AmiableStack(app, stackNameFor(settings.stage), {
    ...settings,
    // `cdk destroy` (or a console click) cannot delete the production stack by mistake.
    terminationProtection: settings.stage === 'prod',
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
    },
    description: `Amiable (${settings.stage}): serverless amicable collection of overdue invoices`,
  });
}

export interface BuildOptions {
  /**
   * Run cdk-nag's AwsSolutions checks when the app is synthesized (an unacknowledged finding fails
   * the synth). On by default: `cdk synth`/`cdk deploy` and the tests run them.
   */
  nag?: boolean;
}

/**
 * The feature flags change the template (policy merging, log destinations...): an App built without
 * cdk.json's context would synthesize something no deploy produces, and tests or local mode would
 * check the wrong template. Fails loudly instead.
 */
function requireFeatureFlags(app: App): void {
  const missing = Object.keys(CURRENTLY_RECOMMENDED_FLAGS).filter((flag) => app.node.tryGetContext(flag) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `CDK feature flags missing from the app context (${missing.length}, e.g. ${missing[0]}): run through the CDK CLI (cdk.json), ` +
        `or build the App with new App({ context: appContext(...) }) from lib/app.ts. After an aws-cdk-lib upgrade, add new flags to cdk.json (DEPLOY.md, Upgrade).`,
    );
  }
}

/** Parses and checks every setting; throws one clear message per mistake. */
export function readSettings(context: (key: string) => unknown): DeploymentSettings {
  const raw = (key: string): string | undefined => {
    const v = context(key);
    return v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim();
  };

  const stage = (raw(CONTEXT_KEYS.stage) ?? 'test') as Stage;
  if (!STAGES.includes(stage)) {
    throw new Error(`${CONTEXT_KEYS.stage} must be one of ${STAGES.join(', ')}, got "${stage}"`);
  }
  const defaults = STAGE_DEFAULTS[stage];

  const mode = raw(CONTEXT_KEYS.objectLockMode) ?? defaults.lockMode;
  if (mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE') {
    throw new Error(`${CONTEXT_KEYS.objectLockMode} must be COMPLIANCE or GOVERNANCE, got "${mode}"`);
  }
  // GOVERNANCE evidence can be deleted by anyone granted s3:BypassGovernanceRetention (aws-facts.md,
  // S3 Object Lock): in production that must be a deliberate, visible choice.
  if (stage === 'prod' && mode === 'GOVERNANCE' && !flag(raw(CONTEXT_KEYS.allowGovernanceInProd), CONTEXT_KEYS.allowGovernanceInProd)) {
    throw new Error(
      `${CONTEXT_KEYS.objectLockMode}=GOVERNANCE in stage prod: evidence would stay deletable by anyone allowed s3:BypassGovernanceRetention. ` +
        `Use COMPLIANCE (the prod default), or pass -c ${CONTEXT_KEYS.allowGovernanceInProd}=true if this is really intended.`,
    );
  }

  const retentionDays = positiveInteger(raw(CONTEXT_KEYS.retentionDays), defaults.retentionDays, CONTEXT_KEYS.retentionDays);
  const archiveAfterDays = positiveInteger(raw(CONTEXT_KEYS.archiveAfterDays), DEFAULT_ARCHIVE_AFTER_DAYS, CONTEXT_KEYS.archiveAfterDays);

  const senderDomain = raw(CONTEXT_KEYS.senderDomain)?.toLowerCase().replace(/\.$/, '');
  if (senderDomain !== undefined && !DOMAIN_NAME.test(senderDomain)) {
    throw new Error(`${CONTEXT_KEYS.senderDomain} must be a domain name such as relances.example.fr, got "${senderDomain}"`);
  }
  if (stage === 'prod') {
    if (senderDomain === undefined) {
      throw new Error(
        `stage prod needs ${CONTEXT_KEYS.senderDomain}: the domain notices are sent from (SES identity with DKIM), e.g. -c ${CONTEXT_KEYS.senderDomain}=relances.your-company.fr`,
      );
    }
    if (isPlaceholderDomain(senderDomain)) {
      throw new Error(
        `${CONTEXT_KEYS.senderDomain}="${senderDomain}" is a reserved example or test name (RFC 2606/6761) that cannot receive DNS records or send mail; stage prod needs a domain you control`,
      );
    }
  }

  const auditorPrincipals = (raw(CONTEXT_KEYS.auditorPrincipals) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const arn of auditorPrincipals) {
    if (!PRINCIPAL_ARN.test(arn)) {
      throw new Error(
        `${CONTEXT_KEYS.auditorPrincipals}: "${arn}" is not an IAM principal ARN (arn:aws:iam::<account>:root, :role/<name> or :user/<name>)`,
      );
    }
  }

  const alarmEmails = (raw(CONTEXT_KEYS.alarmEmail) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const email of alarmEmails) {
    if (!EMAIL.test(email)) throw new Error(`${CONTEXT_KEYS.alarmEmail}: "${email}" is not an e-mail address (several: comma-separated)`);
  }

  return { stage, objectLockMode: mode, retentionDays, archiveAfterDays, senderDomain, auditorPrincipals, alarmEmails };
}

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$|^localhost$/;
const PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/** Names reserved for documentation and tests (RFC 2606, RFC 6761): never a real sender. */
export function isPlaceholderDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (/(^|\.)example\.(com|net|org)$/.test(d)) return true;
  return /(^|\.)(example|test|invalid|localhost)$/.test(d);
}

function positiveInteger(value: string | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${key} must be a positive whole number of days, got "${value}"`);
  return n;
}

/** CLI context values are strings ("-c key=true"); cdk.json may hold a boolean. */
function flag(value: string | undefined, key: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`${key} must be true or false, got "${value}"`);
}
