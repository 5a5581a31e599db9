/**
 * Cost per dossier by path, from what local mode actually did (scripts/bench-meter.ts and the
 * local engine's state transitions) at the list prices of scripts/aws-prices.json, with each
 * function's memory and architecture as the synthesized template configures them.
 */
import prices from './aws-prices.json';
import type { FunctionMeter, Meter } from './bench-meter';


export interface FunctionConfig {
  memoryMb: number;
  architecture: 'arm64' | 'x86_64';
}

/** Memory and architecture of each handler, from the synthesized template. */
export function functionConfigs(template: any): Map<string, FunctionConfig> {
  const out = new Map<string, FunctionConfig>();
  for (const r of Object.values<any>(template.Resources)) {
    const handler = r.Metadata?.['amiable:handler'];
    if (r.Type !== 'AWS::Lambda::Function' || !handler) continue;
    out.set(handler, {
      memoryMb: Number(r.Properties.MemorySize ?? 128),
      architecture: r.Properties.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
    });
  }
  return out;
}

/** Logical ids of the Lambda functions an intrinsic (Fn::GetAtt [id, 'Arn'], Fn::Join...) points to. */
function functionIdsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => functionIdsIn(v, out));
  else if (value && typeof value === 'object') {
    const getAtt = (value as any)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') out.add(getAtt[0]);
    else Object.values(value).forEach((v) => functionIdsIn(v, out));
  }
  return out;
}

/**
 * Which handlers API Gateway invokes, from the synthesized template: the targets of the REST
 * methods' Lambda integrations (`requests`: one invocation per API request) and of the
 * authorizers (`authorizers`: invoked for requests, cached for the authorizer's TTL; no request
 * of their own). Every other function is a step, a stream, queue or rule consumer, or a schedule,
 * whose invocations API Gateway never sees. `alsoSteps`: API-integrated handlers that a state
 * machine invokes too (the hand-off: SendLitigationHandoff and POST /invoices/{id}/handoff), whose
 * invocations are not all API requests, so `apiInvocations` cannot count them.
 */
export function apiHandlers(template: any): { requests: Set<string>; authorizers: Set<string>; alsoSteps: Set<string> } {
  const handlerOf = new Map<string, string>();
  for (const [id, r] of Object.entries<any>(template.Resources)) {
    const handler = r.Metadata?.['amiable:handler'];
    if (r.Type === 'AWS::Lambda::Function' && handler) handlerOf.set(id, handler);
  }
  const named = (ids: Set<string>) => new Set([...ids].map((id) => handlerOf.get(id)).filter((h): h is string => h !== undefined));
  const integrations = new Set<string>();
  const authorizers = new Set<string>();
  const steps = new Set<string>();
  for (const r of Object.values<any>(template.Resources)) {
    if (r.Type === 'AWS::ApiGateway::Method' && /^AWS(_PROXY)?$/.test(r.Properties?.Integration?.Type ?? '')) functionIdsIn(r.Properties.Integration.Uri, integrations);
    if (r.Type === 'AWS::ApiGateway::Authorizer') functionIdsIn(r.Properties?.AuthorizerUri, authorizers);
    if (r.Type === 'AWS::StepFunctions::StateMachine') functionIdsIn(r.Properties?.DefinitionString, steps);
  }
  const requests = named(integrations);
  return { requests, authorizers: named(authorizers), alsoSteps: new Set([...named(steps)].filter((h) => requests.has(h))) };
}

/**
 * Invocations of API-integrated handlers in a meter: the API requests that reached a Lambda (not
 * counting the handlers a state machine invokes too, whose invocations are partly steps).
 */
export function apiInvocations(meter: Meter, api: { requests: Set<string>; alsoSteps: Set<string> }, exclude: string[] = []): number {
  return Object.entries(meter).reduce((n, [handler, m]) => (api.requests.has(handler) && !api.alsoSteps.has(handler) && !exclude.includes(handler) ? n + m.invocations : n), 0);
}

export interface PathCost {
  path: string;
  dossiers: number;
  budget: { transitions: number | null; usd: number | null };
  perDossier: {
    transitions: number;
    executions: number;
    invocations: number;
    gbSeconds: number;
    /** Invocations billed at their concurrent in-process duration, for want of a sample (see billedMs). */
    unsampledInvocations: number;
    apiRequests: number;
    sesMessages: number;
    s3Puts: number;
    bytesKept: number;
    readUnits: number;
    writeUnits: number;
    /** Of writeUnits, the global secondary indexes' (scripts/gsi-writes.ts). */
    indexWriteUnits: number;
    logBytes: number;
    traces: number;
  };
  /**
   * Per dossier, by what the vault keeps (scripts/bench-meter.ts putKind): objects, bytes, how many
   * end up in Glacier IR (of which PUT there directly), 10-year $.
   */
  keptByKind: Record<string, { objects: number; bytes: number; archived: number; archivedAtPut: number; usd: number }>;
  usd: Record<'stepFunctions' | 'lambda' | 'apiGateway' | 'ses' | 's3Requests' | 's3Storage10y' | 'dynamodb' | 'logs' | 'xray' | 'total', number>;
}

const GB = 1024 ** 3;
const MONTH_DAYS = 365.25 / 12;

/** The vault's lifecycle as the synthesized template configures it (lib/evidence-vault.ts). */
export interface ArchiveRule {
  /** Days in Standard before the transition to Glacier Instant Retrieval (Infinity: never). */
  afterDays: number;
  /** Only objects larger than this move (the rule's ObjectSizeGreaterThan). */
  minObjectBytes: number;
}

/** The vault's archive rule, from the synthesized lifecycle configuration. */
export function archiveRule(template: any): ArchiveRule {
  for (const r of Object.values<any>(template.Resources)) {
    const config = r.Properties?.LifecycleConfiguration;
    for (const rule of config?.Rules ?? []) {
      const transition = rule.Transitions?.find((t: any) => t.StorageClass === 'GLACIER_IR');
      if (!transition) continue;
      // Without a filter of its own, the bucket default applies (128 KiB unless configured otherwise).
      const minObjectBytes = rule.ObjectSizeGreaterThan ?? 128 * 1024;
      return { afterDays: Number(transition.TransitionInDays), minObjectBytes: Number(minObjectBytes) };
    }
  }
  return { afterDays: Infinity, minObjectBytes: Infinity };
}

/** Whether the synthesized template traces with X-Ray (-c amiable:tracing, lib/tracing.ts). */
export function tracingOn(template: any): boolean {
  return Object.values<any>(template.Resources).some(
    (r) => r.Properties?.TracingConfig?.Mode === 'Active' || r.Properties?.TracingConfiguration?.Enabled === true || r.Properties?.TracingEnabled === true,
  );
}

/**
 * Keeping one object of `bytes` for the retention: Standard, then (objects above the rule's size)
 * Glacier Instant Retrieval after the archive age, billed at least 128 KiB, plus the transition.
 * An object PUT in Glacier IR (`storageClass`, lambdas/adapters/evidence-archive.ts) is there from
 * the start: no Standard months, no transition (its dearer PUT is in the requests' cost).
 * `archived`: whether it ends up in Glacier IR.
 */
export function storageUsd(bytes: number, archive: ArchiveRule, storageClass = 'STANDARD'): { usd: number; transitions: number; archived: number } {
  const months = prices.assumptions.evidenceKeptYears * 12;
  if (storageClass === 'GLACIER_IR') {
    const billed = Math.max(bytes, prices.s3GlacierInstantRetrievalMinimumBillableBytes.bytes);
    return { usd: (billed / GB) * prices.s3GlacierInstantRetrievalPerGbMonth.usd * months, transitions: 0, archived: 1 };
  }
  if (storageClass !== 'STANDARD') throw new RangeError(`no storage model for ${storageClass}`);
  const archiveMonths = Math.min(months, archive.afterDays / MONTH_DAYS);
  if (bytes <= archive.minObjectBytes || archiveMonths >= months) return { usd: (bytes / GB) * prices.s3StandardPerGbMonth.usd * months, transitions: 0, archived: 0 };
  const standard = (bytes / GB) * prices.s3StandardPerGbMonth.usd * archiveMonths;
  const billed = Math.max(bytes, prices.s3GlacierInstantRetrievalMinimumBillableBytes.bytes);
  const archived = (billed / GB) * prices.s3GlacierInstantRetrievalPerGbMonth.usd * (months - archiveMonths);
  return { usd: standard + archived + prices.s3GlacierInstantRetrievalPerTransition.usd, transitions: 1, archived: 1 };
}

/**
 * The duration Lambda would bill one invocation of `handler` at `memoryMb` (scripts/aws-prices.json
 * assumptions._lambdaNotes): the process CPU of its invocations that ran alone (bench-meter.ts,
 * `durations`; in this phase, else over the whole run, `whole`), stretched by the CPU share of the
 * memory (one vCPU at 1,769 MB), plus a round trip per AWS request it made (requestLatencyMs),
 * rounded up to the millisecond as Lambda bills. Without any sample: the mean of its concurrent
 * in-process wall durations, rounded up (an overestimate; counted as unsampled).
 */
export function billedMs(handler: string, m: FunctionMeter, memoryMb: number, whole?: Meter): { ms: number; sampled: boolean } {
  const w = whole?.[handler];
  const from = m.samples > 0 ? m : w && w.samples > 0 ? w : undefined;
  if (!from) return { ms: Math.ceil(m.ms / Math.max(1, m.invocations)), sampled: false };
  const a = prices.assumptions;
  const cpuMs = (from.sampleCpuMs / from.samples) * Math.max(1, a.lambdaMemoryMbPerVcpu / memoryMb);
  const per = (n: number) => n / Math.max(1, m.invocations);
  const latency = a.requestLatencyMs;
  const waitMs = per(m.ddbReads + m.ddbWrites) * latency.dynamodb + per(m.s3Puts) * latency.s3Put + per(m.s3Gets) * latency.s3Get + per(m.sesMessages) * latency.ses;
  return { ms: Math.ceil(cpuMs + waitMs), sampled: true };
}

export function pathCost(input: {
  path: string;
  dossiers: number;
  transitions: number;
  executions: number;
  meter: Meter;
  /** The whole run's meter: samples of a function this phase invoked too rarely to sample. */
  whole?: Meter;
  configs: Map<string, FunctionConfig>;
  /**
   * API Gateway requests billed to the path: the HTTP requests a real back office makes (intake,
   * payments, plans), as the bench's client counted them. Without it, the invocations of the
   * API-integrated handlers (`api`, from the template) in the meter.
   */
  apiRequests?: number;
  api: { requests: Set<string>; alsoSteps: Set<string> };
  archive: ArchiveRule;
  /** X-Ray on (the template's setting): one trace per API request and per execution. */
  tracing: boolean;
  /** Handlers whose cost is not per dossier (the creditor's daily digest). */
  exclude?: string[];
  budget: PathCost['budget'];
}): PathCost {
  const n = Math.max(1, input.dossiers);
  let invocations = 0;
  let gbSeconds = 0;
  let unsampled = 0;
  let lambdaUsd = 0;
  const apiRequests = input.apiRequests ?? apiInvocations(input.meter, input.api, input.exclude);
  let ses = 0;
  let sesBytes = 0;
  let puts = 0;
  let gets = 0;
  // Of puts and gets, those in Glacier IR (dearer requests, plus retrieval by the GB).
  let glacierPuts = 0;
  let glacierGets = 0;
  let glacierGetBytes = 0;
  let bytesKept = 0;
  let storage = 0;
  let readUnits = 0;
  let writeUnits = 0;
  let indexWriteUnits = 0;
  let logBytes = 0;
  const byKind: PathCost['keptByKind'] = {};
  for (const [handler, m] of Object.entries(input.meter)) {
    if (input.exclude?.includes(handler)) continue;
    const config = input.configs.get(handler) ?? { memoryMb: 512, architecture: 'arm64' as const };
    // Lambda bills each invocation's duration rounded up to the millisecond, at the configured memory.
    const billed = billedMs(handler, m, config.memoryMb, input.whole);
    if (!billed.sampled) unsampled += m.invocations;
    const gbs = ((m.invocations * billed.ms) / 1000) * (config.memoryMb / 1024);
    invocations += m.invocations;
    gbSeconds += gbs;
    lambdaUsd += m.invocations * prices.lambdaPerRequest.usd + gbs * prices.lambdaPerGbSecond[config.architecture];
    ses += m.sesMessages;
    sesBytes += m.sesBytes;
    puts += m.s3Puts;
    gets += m.s3Gets;
    glacierGets += m.glacierIrGets ?? 0;
    glacierGetBytes += m.glacierIrGetBytes ?? 0;
    m.putSizes.forEach((size, i) => {
      const storageClass = m.putClasses?.[i] ?? 'STANDARD';
      const cost = storageUsd(size, input.archive, storageClass);
      if (storageClass === 'GLACIER_IR') glacierPuts++;
      bytesKept += size;
      storage += cost.usd;
      const kind = (byKind[m.putKinds?.[i] ?? '?'] ??= { objects: 0, bytes: 0, archived: 0, archivedAtPut: 0, usd: 0 });
      kind.objects++;
      kind.bytes += size;
      kind.archived += cost.archived;
      if (storageClass === 'GLACIER_IR') kind.archivedAtPut++;
      kind.usd += cost.usd;
    });
    readUnits += m.readUnits;
    writeUnits += m.writeUnits;
    indexWriteUnits += m.indexWriteUnits ?? 0;
    logBytes += m.logBytes + m.invocations * prices.assumptions.lambdaPlatformLogBytesPerInvocation;
  }
  logBytes += input.transitions * prices.assumptions.stepFunctionsLogBytesPerTransition;
  const traces = input.tracing ? apiRequests + input.executions : 0;
  const usd = {
    stepFunctions: input.transitions * prices.stepFunctionsPerTransition.usd,
    lambda: lambdaUsd,
    apiGateway: apiRequests * prices.apiGatewayRestPerRequest.usd,
    ses: ses * prices.sesPerMessage.usd + (sesBytes / GB) * prices.sesPerGbAttachments.usd,
    s3Requests:
      (puts - glacierPuts) * prices.s3PerPut.usd +
      glacierPuts * prices.s3GlacierInstantRetrievalPerPut.usd +
      (gets - glacierGets) * prices.s3PerGet.usd +
      glacierGets * prices.s3GlacierInstantRetrievalPerGet.usd +
      (glacierGetBytes / GB) * prices.s3GlacierInstantRetrievalPerGbRetrieved.usd,
    s3Storage10y: storage,
    dynamodb: readUnits * prices.dynamodbPerReadUnit.usd + writeUnits * prices.dynamodbPerWriteUnit.usd,
    logs: (logBytes / GB) * (prices.cloudWatchLogsPerGbIngested.usd + prices.cloudWatchLogsPerGbMonthStored.usd * prices.assumptions.logRetentionMonths),
    xray: traces * prices.xrayPerTraceRecorded.usd,
    total: 0,
  };
  for (const k of Object.keys(usd) as (keyof typeof usd)[]) usd[k] /= n;
  usd.total = Object.entries(usd).reduce((s, [k, v]) => (k === 'total' ? s : s + v), 0);
  return {
    path: input.path,
    dossiers: input.dossiers,
    budget: input.budget,
    perDossier: {
      transitions: input.transitions / n,
      executions: input.executions / n,
      invocations: invocations / n,
      gbSeconds: gbSeconds / n,
      unsampledInvocations: unsampled / n,
      apiRequests: apiRequests / n,
      sesMessages: ses / n,
      s3Puts: puts / n,
      bytesKept: bytesKept / n,
      readUnits: readUnits / n,
      writeUnits: writeUnits / n,
      indexWriteUnits: indexWriteUnits / n,
      logBytes: logBytes / n,
      traces: traces / n,
    },
    keptByKind: Object.fromEntries(
      Object.entries(byKind)
        .sort(([, a], [, b]) => b.usd - a.usd)
        .map(([k, v]) => [k, { objects: v.objects / n, bytes: v.bytes / n, archived: v.archived / n, archivedAtPut: v.archivedAtPut / n, usd: v.usd / n }]),
    ),
    usd,
  };
}

/**
 * Each function's durations over a run: invocations, how many ran alone (sampled), the mean wall
 * ms of all invocations as they ran concurrently in the bench process, the mean wall and process
 * CPU ms of the samples, and the duration the cost table bills (billedMs) at the configured memory.
 */
export function durationTable(meter: Meter, configs: Map<string, FunctionConfig>, exclude: string[] = []): string {
  const lines = ['Lambda durations (whole run): function, invocations, sampled alone, mean ms: concurrent wall, alone wall, alone CPU, billed (modelled); MB'];
  for (const [handler, m] of Object.entries(meter).sort(([a], [b]) => a.localeCompare(b))) {
    if (exclude.includes(handler) || m.invocations === 0) continue;
    const memoryMb = configs.get(handler)?.memoryMb ?? 512;
    const alone = (v: number) => (m.samples > 0 ? (v / m.samples).toFixed(1) : '-');
    const billed = billedMs(handler, m, memoryMb);
    lines.push(
      `  ${handler.padEnd(24)}${String(m.invocations).padStart(7)}${String(m.samples).padStart(7)}${(m.ms / m.invocations).toFixed(1).padStart(10)}${alone(m.sampleMs).padStart(10)}${alone(m.sampleCpuMs).padStart(10)}${`${billed.ms}${billed.sampled ? '' : '*'}`.padStart(10)}${String(memoryMb).padStart(7)}`,
    );
  }
  return lines.join('\n');
}

/** Where one path's 10-year storage goes, by kind of object (per dossier). */
export function keptTable(p: PathCost): string {
  const lines = [`bytes kept 10 years per dossier, ${p.path}: kind, objects, KiB, archived to Glacier IR (of which PUT there), $ storage`];
  for (const [kind, v] of Object.entries(p.keptByKind)) {
    const atPut = v.archivedAtPut > 0 ? ` (${v.archivedAtPut.toFixed(1)})` : '      ';
    lines.push(`  ${kind.padEnd(38)}${v.objects.toFixed(1).padStart(6)}${(v.bytes / 1024).toFixed(1).padStart(10)} KiB${v.archived.toFixed(1).padStart(6)}${atPut}  ${usd(v.usd)}`);
  }
  return lines.join('\n');
}

/** The table `npm run bench` prints: one column per path. */
export function costTable(paths: PathCost[]): string {
  const rows: [string, (p: PathCost) => string][] = [
    ['dossiers measured', (p) => String(p.dossiers)],
    ['state transitions / dossier', (p) => `${fmt(p.perDossier.transitions, 1)}${p.budget.transitions !== null ? ` (<= ${p.budget.transitions})` : ''}`],
    ['Lambda invocations', (p) => fmt(p.perDossier.invocations, 1)],
    ['Lambda GB-s (modelled, see notes)', (p) => `${fmt(p.perDossier.gbSeconds, 3)}${p.perDossier.unsampledInvocations > 0 ? ` (${fmt(p.perDossier.unsampledInvocations, 1)} inv. unsampled)` : ''}`],
    ['API Gateway requests', (p) => fmt(p.perDossier.apiRequests, 1)],
    ['SES messages', (p) => fmt(p.perDossier.sesMessages, 1)],
    ['S3 PUTs', (p) => fmt(p.perDossier.s3Puts, 1)],
    ['bytes kept 10 years', (p) => `${fmt(p.perDossier.bytesKept / 1024, 0)} KiB`],
    ['DynamoDB read / write units', (p) => `${fmt(p.perDossier.readUnits, 1)} / ${fmt(p.perDossier.writeUnits, 1)}`],
    ['  of the writes, index writes (GSI)', (p) => fmt(p.perDossier.indexWriteUnits, 1)],
    ['log bytes (Lambda + Step Functions)', (p) => `${fmt(p.perDossier.logBytes / 1024, 1)} KiB`],
    ['X-Ray traces (amiable:tracing)', (p) => fmt(p.perDossier.traces, 1)],
    ['$ Step Functions', (p) => usd(p.usd.stepFunctions)],
    ['$ Lambda', (p) => usd(p.usd.lambda)],
    ['$ API Gateway', (p) => usd(p.usd.apiGateway)],
    ['$ SES', (p) => usd(p.usd.ses)],
    ['$ S3 requests', (p) => usd(p.usd.s3Requests)],
    ['$ S3 storage 10 y (archive lifecycle)', (p) => usd(p.usd.s3Storage10y)],
    ['$ DynamoDB', (p) => usd(p.usd.dynamodb)],
    ['$ CloudWatch Logs (1 y)', (p) => usd(p.usd.logs)],
    ['$ X-Ray', (p) => usd(p.usd.xray)],
    ['$ TOTAL per dossier', (p) => `${usd(p.usd.total)}${p.budget.usd !== null ? ` (<= ${p.budget.usd}) ${p.usd.total <= p.budget.usd ? 'OK' : 'OVER'}` : ''}`],
  ];
  const width = 40;
  const col = 30;
  const lines = [`${'cost per dossier'.padEnd(width)}${paths.map((p) => p.path.padEnd(col)).join('')}`];
  for (const [label, f] of rows) lines.push(`${label.padEnd(width)}${paths.map((p) => f(p).padEnd(col)).join('')}`);
  return lines.join('\n');
}

function fmt(v: number, digits: number): string {
  return v.toFixed(digits);
}

function usd(v: number): string {
  return `$${v.toFixed(6)}`;
}
