/** Reads the deployment settings Lambdas get from their environment (set by CDK, or by local mode). */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
}

export const settings = {
  tableName: () => requireEnv('TABLE_NAME'),
  evidenceBucket: () => requireEnv('EVIDENCE_BUCKET'),
  /** Evidence bundles (derived exports, kept a few days; lib/bundle-exports.ts). */
  exportsBucket: () => requireEnv('EXPORTS_BUCKET'),
  lockMode: () => (process.env.EVIDENCE_LOCK_MODE === 'COMPLIANCE' ? 'COMPLIANCE' : 'GOVERNANCE') as 'COMPLIANCE' | 'GOVERNANCE',
  retentionDays: () => Number(process.env.EVIDENCE_RETENTION_DAYS ?? '3650'),
  configurationSet: () => process.env.SES_CONFIGURATION_SET || undefined,
  stateMachineArn: () => requireEnv('STATE_MACHINE_ARN'),
  mailDomain: () => process.env.MAIL_DOMAIN || 'amiable.local',
  /** The registered e-mail (LRE) provider: "local" (the stand-in local mode sets), else none configured. */
  registeredEmailProvider: () => process.env.AMIABLE_LRE_PROVIDER || undefined,
};
