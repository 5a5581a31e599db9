/**
 * A barrier for race tests in local mode: it holds one dossier's requests at a chosen point so a
 * test decides which of a send and a payment goes first, instead of hoping the scheduler does.
 * It is a middleware on the handlers' own SDK clients (lambdas/adapters/aws-clients.ts
 * setClientHook, the seam local/fault-injection.ts uses), so the handlers run untouched; nothing
 * of it exists on AWS. Not to be combined with LocalOptions.faults (one hook at a time).
 *
 * - `holdFirstDossierRequest(id)`: the next DynamoDB request on the dossier's item (the send
 *   re-reading its dossier before it claims it) waits until `release()`: a payment made meanwhile
 *   lands before the send's claim.
 * - `holdSend(id)`: the next SES message tagged with the dossier waits until `release()`; it left
 *   its claim (the lease) behind, so a payment made meanwhile meets that lease.
 * Each hold resolves `reached` when a request hits it, and `touchedAfter()` counts the DynamoDB
 * requests on the dossier's item since then (the payment's attempts, which wait for the lease).
 */
import { resetClients, setClientHook, type ClientService } from '../../lambdas/adapters/aws-clients';
import { TAG_NAMES } from '../../lambdas/adapters/mailer';

export interface Hold {
  /** Resolves once a request reached the hold (and waits there). */
  reached: Promise<void>;
  /** Lets the held request go on. */
  release(): void;
  /** DynamoDB requests on the dossier's item since the hold was reached. */
  touchedAfter(): number;
}

type Middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: { input?: any }) => Promise<unknown>;
type Stackable = { middlewareStack: { add: (mw: Middleware, opts: Record<string, unknown>) => void } };

interface Armed {
  service: 'dynamodb' | 'sesv2';
  dossierId: string;
  reached: () => void;
  gate: Promise<void>;
  touched: number | null;
}

/** The dossier an SDK request concerns: its item key (raw or document form) or its SES tag. */
function dossierOf(service: ClientService, command: string, input: any): string | null {
  if (service === 'dynamodb') {
    const pk = input?.Key?.pk;
    const value = typeof pk === 'string' ? pk : pk?.S;
    return typeof value === 'string' && value.startsWith('D#') && (input?.Key?.sk === 'DOSSIER' || input?.Key?.sk?.S === 'DOSSIER') ? value.slice(2) : null;
  }
  if (service === 'sesv2' && command === 'SendEmailCommand') {
    const tag = (input?.EmailTags ?? []).find((t: { Name: string }) => t.Name === TAG_NAMES.dossierId);
    return tag?.Value ?? null;
  }
  return null;
}

export class SendBarrier {
  private readonly armed: Armed[] = [];
  private readonly equipped = new WeakSet<object>();

  constructor() {
    setClientHook((service, client) => this.equip(service, client as Stackable));
    // Clients made before now are dropped: the next call makes them again, with the middleware.
    resetClients();
  }

  holdFirstDossierRequest(dossierId: string): Hold {
    return this.arm('dynamodb', dossierId);
  }

  holdSend(dossierId: string): Hold {
    return this.arm('sesv2', dossierId);
  }

  /** Removes the hook (every hold should have been released). */
  close(): void {
    for (const a of this.armed) a.reached();
    setClientHook(undefined);
    resetClients();
  }

  private arm(service: Armed['service'], dossierId: string): Hold {
    let release!: () => void;
    let reached!: () => void;
    const entry: Armed = {
      service,
      dossierId,
      reached: () => reached(),
      gate: new Promise<void>((r) => (release = r)),
      touched: null,
    };
    const reachedPromise = new Promise<void>((r) => (reached = r));
    this.armed.push(entry);
    return { reached: reachedPromise, release: () => release(), touchedAfter: () => entry.touched ?? 0 };
  }

  private equip(service: ClientService, client: Stackable): void {
    if ((service !== 'dynamodb' && service !== 'sesv2') || this.equipped.has(client)) return;
    this.equipped.add(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const id = dossierOf(service, context.commandName ?? '', args.input);
        if (id !== null) {
          for (const a of this.armed) if (a.dossierId === id && a.touched !== null && service === 'dynamodb') a.touched++;
          const i = this.armed.findIndex((a) => a.dossierId === id && a.service === service && a.touched === null);
          if (i >= 0) {
            const a = this.armed[i]!;
            a.touched = 0;
            a.reached();
            await a.gate;
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'amiableSendBarrier' },
    );
  }
}
