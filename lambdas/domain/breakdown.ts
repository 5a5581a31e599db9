/**
 * The amounts a notice prints: principal, interest lines, 40 EUR indemnity, payments and what is
 * still due, with the allocation of payments. Pure and exact (integer cents, BigInt inside the
 * interest lines).
 *
 * Regimes
 * - B2B (debtor is a business): late-payment penalties of C. com. L441-10 II (see penalties.ts)
 *   from the day after the due date, plus the fixed recovery indemnity of 40 EUR (L441-10 II,
 *   D441-5) once per invoice paid late; the indemnity is not claimable when insolvency
 *   proceedings forbid paying the claim at its due date (L441-10 II, last sentence).
 * - B2C (debtor is a consumer): no penalties and no indemnity (collection costs stay with the
 *   creditor, CPCE L111-8); legal interest (C. civ. 1231-6, 1344-1) at the rate of the creditor's
 *   category (C. mon. fin. L313-2) from the day after the mise en demeure; none before one is sent.
 *
 * Allocation of payments (each payment carries its own order, fixed when it was recorded: see
 * settlement.ts for which applies; without one, the creditor's legacy pursueAccessories decides)
 * - 'civil-code-1343-1': C. civ. 1343-1 al. 1 "le paiement partiel s'impute d'abord sur les
 *   intérêts". Order implemented: (1) interest accrued up to and including the payment day, (2) the
 *   40 EUR indemnity (an accessory of the claim; 1343-1 does not rank it, we place it before the
 *   principal as a convention, in line with the usual "costs/interest before principal" practice),
 *   (3) the principal. Interest that accrues after a payment is paid by later payments. Any surplus
 *   is not allocated (overpayment).
 * - 'principal-first': the principal, then interest, then the indemnity: the creditor's stated
 *   waiver (accessories are not pursued once the principal is paid), a payment made before any
 *   letter claimed the accessories, or an instalment of a payment plan (which covers the principal).
 * In both orders the basis of interest is the principal still unpaid (unpaid interest does not
 * bear interest: no capitalisation without the conditions of C. civ. 1343-2).
 */
import type { AmountBreakdown, DebtorKind, IsoDate, PenaltyLine } from './model';
import type { Cents } from './money';
import { assertCents, toDecimalString } from './money';
import { addDays, compareIsoDates, maxIsoDate, requireIsoDate } from './epoch-days';
import { ecbRate, halfYearOf, legalRate } from './rates';
import {
  DAY_COUNT_NOTE,
  PAYMENT_DAY_NOTE,
  ROUNDING_NOTE,
  periodLines,
  rateForHalfYear,
  sumLines,
  type InterestBasis,
  type InterestRegime,
} from './penalties';

/** C. com. D441-5: 40 EUR. */
export const RECOVERY_INDEMNITY_CENTS: Cents = 4000;

export interface BreakdownInput {
  invoice: { amountCents: Cents; dueDate: IsoDate; contractualPenaltyRate?: string };
  debtorKind: DebtorKind;
  creditor: { category: 'business' | 'individual'; contractualPenaltyRate?: string; pursueAccessories?: boolean };
  /** `order`: how this payment is allocated (default: allocationOrderFor(creditor.pursueAccessories)). */
  payments: readonly { amountCents: Cents; paidOn: IsoDate; order?: AllocationOrder; ref?: string }[];
  asOf: IsoDate;
  formalNoticeSentOn?: IsoDate;
  insolvency?: boolean;
  /**
   * The debtor is a public-sector buyer (debtor segment "public-sector"): moratory interest of the
   * Code de la commande publique instead of L441-10 penalties, and the 40 EUR indemnity.
   */
  publicSector?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------------------------

/** 'civil-code-1343-1' = interest, then indemnity, then principal. */
export type AllocationOrder = 'principal-first' | 'civil-code-1343-1';

export interface Outstanding {
  principalCents: Cents;
  interestCents: Cents;
  indemnityCents: Cents;
}

export interface Allocation {
  principalCents: Cents;
  interestCents: Cents;
  indemnityCents: Cents;
  /** Surplus beyond what was outstanding (overpayment). */
  unallocatedCents: Cents;
}

export interface AllocationResult {
  /** One allocation per amount, in the order given. */
  allocations: Allocation[];
  total: Allocation;
  remaining: Outstanding;
}

const ORDERS: Record<AllocationOrder, readonly (keyof Outstanding)[]> = {
  'principal-first': ['principalCents', 'interestCents', 'indemnityCents'],
  'civil-code-1343-1': ['interestCents', 'indemnityCents', 'principalCents'],
};

export function allocationOrderFor(pursueAccessories: boolean | undefined): AllocationOrder {
  return pursueAccessories ? 'civil-code-1343-1' : 'principal-first';
}

/**
 * Allocates amounts, one after the other, against what is outstanding at that moment. Conserves
 * cents exactly: for every amount, principal + interest + indemnity + unallocated = amount.
 */
export function allocatePayments(amounts: readonly Cents[], outstanding: Outstanding, order: AllocationOrder): AllocationResult {
  const remaining: Outstanding = { ...outstanding };
  for (const value of Object.values(remaining)) {
    assertCents(value);
    if (value < 0) throw new RangeError(`negative outstanding amount: ${value}`);
  }
  const total: Allocation = { principalCents: 0, interestCents: 0, indemnityCents: 0, unallocatedCents: 0 };
  const allocations = amounts.map((amount) => {
    assertCents(amount);
    if (amount < 0) throw new RangeError(`negative payment: ${amount}`);
    const a: Allocation = { principalCents: 0, interestCents: 0, indemnityCents: 0, unallocatedCents: 0 };
    let left = amount;
    for (const key of ORDERS[order]) {
      const take = Math.min(left, remaining[key]);
      a[key] += take;
      remaining[key] -= take;
      left -= take;
    }
    a.unallocatedCents = left;
    total.principalCents += a.principalCents;
    total.interestCents += a.interestCents;
    total.indemnityCents += a.indemnityCents;
    total.unallocatedCents += a.unallocatedCents;
    return a;
  });
  return { allocations, total, remaining };
}

// ---------------------------------------------------------------------------------------------
// Breakdown
// ---------------------------------------------------------------------------------------------

export interface PaymentAllocation extends Allocation {
  paidOn: IsoDate;
  amountCents: Cents;
  /** The payment's ref, when the input gave one. */
  ref?: string;
}

export interface BreakdownExplanation {
  breakdown: AmountBreakdown;
  order: AllocationOrder;
  /** Sum of the per-payment allocations. */
  allocation: Allocation;
  /** Payments counted (paid on or before asOf, amount > 0), in date order, with their allocation. */
  payments: PaymentAllocation[];
  /** Payments dated after asOf: not counted. */
  ignoredPayments: { amountCents: Cents; paidOn: IsoDate }[];
  /** What remains due per component after allocation. */
  remaining: Outstanding;
}

/**
 * How interest runs for this claim: B2B penalties at the contractual rate (the invoice's, else the
 * creditor's terms) or the default rate; B2C legal interest in the creditor's column.
 */
export function interestRegimeOf(input: Pick<BreakdownInput, 'invoice' | 'debtorKind' | 'creditor' | 'publicSector'>): InterestRegime {
  if (input.debtorKind !== 'business') return { kind: 'b2c', creditorCategory: input.creditor.category };
  // A public buyer owes moratory interest at a rate fixed for the whole delay (CCP L2192-13, R2192-31).
  if (input.publicSector) return { kind: 'public', startHalfYear: halfYearOf(addDays(input.invoice.dueDate, 1)) };
  const fromInvoice = input.invoice.contractualPenaltyRate !== undefined;
  const contractual = input.invoice.contractualPenaltyRate ?? input.creditor.contractualPenaltyRate;
  return {
    kind: 'b2b',
    ...(contractual !== undefined
      ? { contractualRatePercent: contractual, contractualRateOrigin: fromInvoice ? 'invoice' : 'creditor terms' }
      : {}),
  };
}

export function computeBreakdown(input: BreakdownInput): AmountBreakdown {
  return explainBreakdown(input).breakdown;
}

/** What the engine starts from: inputs checked, regime, first day of interest, payments counted, indemnity, notes so far. */
function prepareBreakdown(input: BreakdownInput) {
  const { invoice, debtorKind, creditor, asOf } = input;
  const principal = invoice.amountCents;
  assertCents(principal);
  if (principal < 0) throw new RangeError(`invoice.amountCents is negative: ${principal}`);
  requireIsoDate(invoice.dueDate, 'invoice.dueDate');
  requireIsoDate(asOf, 'asOf');
  if (input.formalNoticeSentOn !== undefined) requireIsoDate(input.formalNoticeSentOn, 'formalNoticeSentOn');
  for (const p of input.payments) {
    assertCents(p.amountCents);
    if (p.amountCents < 0) throw new RangeError(`payment amount is negative: ${p.amountCents}`);
    requireIsoDate(p.paidOn, 'payments[].paidOn');
  }

  const b2b = debtorKind === 'business';
  const order = allocationOrderFor(creditor.pursueAccessories);
  const notes: string[] = [];

  // Regime and first day of delay.
  const regime = interestRegimeOf(input);
  let firstDay: IsoDate | null;
  if (regime.kind === 'public') {
    firstDay = addDays(invoice.dueDate, 1);
    notes.push(
      `Public-sector buyer: moratory interest (CCP L2192-13) runs from ${firstDay}, the day after the payment deadline ${invoice.dueDate}, up to and including ${asOf}, at the ECB rate in force on the first day of ${regime.startHalfYear} + 8 points, fixed for the whole delay (CCP R2192-31), plus the 40 EUR recovery indemnity (CCP L2192-13).`,
    );
    if (invoice.contractualPenaltyRate !== undefined || creditor.contractualPenaltyRate !== undefined) {
      notes.push('The contractual penalty rate does not apply to a public-sector buyer: the moratory interest rate is set by the Code de la commande publique.');
    }
  } else if (b2b) {
    firstDay = addDays(invoice.dueDate, 1);
    notes.push(
      `Late-payment penalties (C. com. L441-10 II) run from ${firstDay}, the day after the due date ${invoice.dueDate}, up to and including ${asOf}, with no reminder needed; computed on the invoice amount including VAT.`,
    );
  } else {
    notes.push('Consumer debtor: no late-payment penalties and no 40 EUR indemnity (C. com. L441-10 applies between professionals); collection costs stay with the creditor (CPCE L111-8).');
    if (invoice.contractualPenaltyRate !== undefined || creditor.contractualPenaltyRate !== undefined) {
      notes.push('The contractual penalty rate is not applied to a consumer debtor; legal interest only.');
    }
    if (input.formalNoticeSentOn === undefined) {
      firstDay = null;
      notes.push('No mise en demeure sent yet: legal interest does not run (C. civ. 1231-6, 1344-1).');
    } else {
      firstDay = maxIsoDate(addDays(input.formalNoticeSentOn, 1), addDays(invoice.dueDate, 1));
      const column = creditor.category === 'individual' ? 'creditor is a private individual' : 'all other cases';
      notes.push(
        `Legal interest (C. civ. 1231-6, 1344-1) runs from ${firstDay}, the day after the mise en demeure of ${input.formalNoticeSentOn}${
          compareIsoDates(input.formalNoticeSentOn, invoice.dueDate) < 0 ? ' (but not before the day after the due date)' : ''
        }, up to and including ${asOf}, at the legal rate column "${column}" (C. mon. fin. L313-2).`,
      );
    }
  }

  // Payments counted: on or before asOf, positive, in date order (stable for equal dates).
  const counted = input.payments
    .map((p, index) => ({ ...p, index }))
    .filter((p) => p.amountCents > 0 && compareIsoDates(p.paidOn, asOf) <= 0)
    .sort((a, b) => compareIsoDates(a.paidOn, b.paidOn) || a.index - b.index);
  const ignoredPayments = input.payments
    .filter((p) => compareIsoDates(p.paidOn, asOf) > 0)
    .map((p) => ({ amountCents: p.amountCents, paidOn: p.paidOn }));
  if (ignoredPayments.length > 0) {
    notes.push(`${ignoredPayments.length} payment(s) dated after ${asOf} not counted.`);
  }
  const paidCents = counted.reduce((s, p) => s + p.amountCents, 0);

  // Late? Payments made on or before the due date can only go to the principal (nothing else is
  // due yet), so the invoice is late iff principal remains unpaid at the end of the due date and
  // asOf is after it.
  const paidByDue = counted.filter((p) => compareIsoDates(p.paidOn, invoice.dueDate) <= 0).reduce((s, p) => s + p.amountCents, 0);
  const late = compareIsoDates(asOf, invoice.dueDate) > 0 && principal - paidByDue > 0;
  let indemnityCents = 0;
  if (b2b) {
    if (!late) {
      notes.push('No fixed recovery indemnity: the invoice is not paid late as of this date.');
    } else if (input.insolvency) {
      notes.push(
        'Fixed recovery indemnity not claimed: the debtor is in insolvency proceedings (C. com. L441-10 II, last sentence). Amicable collection should stop: individual actions are suspended (L622-21), the claim must be declared to the mandataire (L622-24), and interest stops running from the opening judgment (L622-28), which this computation does not know.',
      );
    } else {
      indemnityCents = RECOVERY_INDEMNITY_CENTS;
      notes.push(
        input.publicSector
          ? 'Fixed recovery indemnity of 40.00 EUR (CCP L2192-13), due as of right, once per invoice paid late.'
          : 'Fixed recovery indemnity of 40.00 EUR (C. com. L441-10 II, D441-5), due as of right, once per invoice paid late.',
      );
    }
  }
  return { b2b, order, notes, regime, firstDay, counted, ignoredPayments, paidCents, paidByDue, indemnityCents };
}

type CountedPayment = BreakdownInput['payments'][number] & { index: number };

/**
 * Where the sequential engine stands: interest accrued on the unpaid principal up to `cursor`
 * (exclusive), and the payments allocated so far, in date order.
 */
interface Engine {
  readonly regime: InterestRegime;
  readonly dueDate: IsoDate;
  readonly indemnityCents: Cents;
  readonly order: AllocationOrder;
  lines: PenaltyLine[];
  cursor: IsoDate | null;
  principalOut: Cents;
  interestAccrued: Cents;
  interestPaid: Cents;
  indemnityPaid: Cents;
  allocationTotal: Allocation;
  paymentAllocations: PaymentAllocation[];
}

function startEngine(
  input: BreakdownInput,
  at: { regime: InterestRegime; firstDay: IsoDate | null; indemnityCents: Cents; order: AllocationOrder },
): Engine {
  return {
    ...at,
    dueDate: input.invoice.dueDate,
    lines: [],
    cursor: at.firstDay,
    principalOut: input.invoice.amountCents,
    interestAccrued: 0,
    interestPaid: 0,
    indemnityPaid: 0,
    allocationTotal: { principalCents: 0, interestCents: 0, indemnityCents: 0, unallocatedCents: 0 },
    paymentAllocations: [],
  };
}

/** Interest on the principal still unpaid, from the cursor up to and including `to`. */
function accrueUpTo(e: Engine, to: IsoDate): void {
  const added = periodLines(e.cursor!, to, e.principalOut, e.regime);
  e.lines.push(...added);
  e.interestAccrued += sumLines(added);
}

/**
 * The next payment in date order: interest up to its day (the day itself still bears interest on
 * the old basis), then its allocation against what is outstanding. A payment of the same day as
 * the previous one finds the cursor past that day and is allocated on the same accrual.
 */
function applyPayment(e: Engine, p: CountedPayment): void {
  const day = p.paidOn;
  if (e.cursor !== null && compareIsoDates(day, e.cursor) >= 0) {
    accrueUpTo(e, day);
    e.cursor = addDays(day, 1);
  }
  const indemnityAvailable = compareIsoDates(day, e.dueDate) > 0 ? e.indemnityCents - e.indemnityPaid : 0;
  const result = allocatePayments(
    [p.amountCents],
    { principalCents: e.principalOut, interestCents: e.interestAccrued - e.interestPaid, indemnityCents: indemnityAvailable },
    p.order ?? e.order,
  );
  e.paymentAllocations.push({ paidOn: p.paidOn, amountCents: p.amountCents, ...result.allocations[0]!, ...(p.ref !== undefined ? { ref: p.ref } : {}) });
  e.principalOut -= result.total.principalCents;
  e.interestPaid += result.total.interestCents;
  e.indemnityPaid += result.total.indemnityCents;
  e.allocationTotal.principalCents += result.total.principalCents;
  e.allocationTotal.interestCents += result.total.interestCents;
  e.allocationTotal.indemnityCents += result.total.indemnityCents;
  e.allocationTotal.unallocatedCents += result.total.unallocatedCents;
}

export function explainBreakdown(input: BreakdownInput): BreakdownExplanation {
  const { invoice, asOf } = input;
  const principal = invoice.amountCents;
  const { b2b, order, notes, regime, counted, ignoredPayments, paidCents, indemnityCents, firstDay } = prepareBreakdown(input);

  // Sequential engine: accrue interest up to each payment day, allocate, move the basis.
  const engine = startEngine(input, { regime, firstDay, indemnityCents, order });
  for (const p of counted) applyPayment(engine, p);
  if (engine.cursor !== null) accrueUpTo(engine, asOf);
  const { lines, principalOut, interestPaid, indemnityPaid, allocationTotal, paymentAllocations } = engine;

  const interestTotal = sumLines(lines);
  const totalDueCents = Math.max(0, principal + interestTotal + indemnityCents - paidCents);
  const remaining: Outstanding = {
    principalCents: principalOut,
    interestCents: interestTotal - interestPaid,
    indemnityCents: indemnityCents - indemnityPaid,
  };

  // Interest basis label and rate notes.
  let basis: InterestBasis;
  let contractual: AmountBreakdown['interest']['contractual'];
  if (regime.kind === 'b2c') {
    basis = 'legal';
  } else if (regime.kind === 'public') {
    basis = 'ccp-l2192-13';
  } else {
    const halfYears = [...new Set(lines.map((l) => halfYearOf(l.from)))];
    const rates = (halfYears.length > 0 ? halfYears : [halfYearOf(asOf)]).map((hy) => ({ hy, rate: rateForHalfYear(regime, hy) }));
    basis = rates.every((r) => r.rate.basis === 'contractual') ? 'contractual' : 'l441-10';
    for (const { rate } of rates) if (rate.refused) notes.push(rate.refused.message);
    const accepted = rates.filter((r) => r.rate.basis === 'contractual').map((r) => r.hy);
    if (accepted.length > 0 && basis !== 'contractual') {
      notes.push(`Contractual rate applied for ${accepted.join(', ')} only; default rate (ECB + 10 points) elsewhere.`);
    }
    if (regime.contractualRatePercent !== undefined) {
      const refused = rates.filter((r) => r.rate.refused?.code === 'below_legal_floor');
      contractual = {
        ratePercent: refused[0]?.rate.refused?.ratePercent ?? regime.contractualRatePercent,
        origin: regime.contractualRateOrigin === 'invoice' ? 'invoice' : 'creditor terms',
        appliedTo: accepted,
        setAside: refused.map((r) => ({
          halfYear: r.hy,
          floorPercent: r.rate.refused!.floorPercent!,
          legalRatePercent: r.rate.refused!.legalRatePercent!,
        })),
      };
    }
  }
  if (lines.length > 0) notes.push(DAY_COUNT_NOTE, ROUNDING_NOTE);
  if (counted.length > 0) notes.push(PAYMENT_DAY_NOTE);
  if (lines.length > 0) notes.push('Unpaid interest does not itself bear interest (no capitalisation, C. civ. 1343-2).');

  const provisionalNotes = [...new Set(lines.filter((l) => l.provisional).map((l) => l.source))];
  notes.push(...provisionalNotes);
  if (provisionalNotes.length > 0) {
    notes.push('Lines marked provisional apply a rate that is not yet confirmed (the last known one); the amount will be adjusted once it is.');
  }

  const ordersUsed = new Set(counted.map((p) => p.order ?? order));
  if (ordersUsed.size === 0) ordersUsed.add(order);
  if (ordersUsed.has('principal-first')) {
    notes.push('Payments marked principal-first are allocated to the principal first, then interest, then the indemnity.');
  }
  if (ordersUsed.has('civil-code-1343-1')) {
    notes.push(
      b2b
        ? 'Payments are allocated per C. civ. 1343-1 (partial payment goes to interest first): interest accrued up to the payment day, then the 40 EUR indemnity, then the principal; the dossier stays open until everything is paid.'
        : 'Payments are allocated per C. civ. 1343-1 (partial payment goes to interest first): interest accrued up to the payment day, then the principal; the dossier stays open until everything is paid.',
    );
  }
  if (allocationTotal.unallocatedCents > 0) {
    notes.push(`Overpayment: ${toDecimalString(allocationTotal.unallocatedCents)} EUR received beyond the amount due, not allocated.`);
  }

  const breakdown: AmountBreakdown = {
    asOf,
    regime: b2b ? 'b2b' : 'b2c',
    principalCents: principal,
    interest: { basis, lines, totalCents: interestTotal, ...(contractual ? { contractual } : {}) },
    indemnityCents,
    paidCents,
    payments: counted.map((p) => ({ paidOn: p.paidOn, amountCents: p.amountCents, ...(p.ref !== undefined ? { reference: p.ref } : {}) })),
    totalDueCents,
    principalDueCents: principalOut,
    provisional: lines.some((l) => l.provisional),
    notes: [...new Set(notes)],
  };
  return { breakdown, order, allocation: allocationTotal, payments: paymentAllocations, ignoredPayments, remaining };
}

export interface NextPayment {
  amountCents: Cents;
  paidOn: IsoDate;
  order: AllocationOrder;
  /** Unique among the payments (the allocation is found by it when the short path does not apply). */
  ref: string;
}

export interface NextPaymentExplanation {
  /** What was due as of input.asOf before this payment: computeBreakdown(input).totalDueCents. */
  dueBeforeCents: Cents;
  /** This payment's allocation, as explainBreakdown with it would give it (absent: not counted). */
  allocation?: PaymentAllocation;
  /** What remains due per component with it: explainBreakdown(with it).remaining. */
  remaining: Outstanding;
}

/**
 * What recording one more payment does: the amount due before it, its allocation and what remains
 * after it, equal to the cent to computeBreakdown(input) and explainBreakdown(input + next)
 * (breakdown.test.ts checks it over random histories). A payment dated on or after every counted
 * one (the usual case: payments arrive in order) leaves the allocation of the others untouched,
 * so one pass of the engine serves both; a back-dated payment, or one that changes whether the
 * 40 EUR indemnity is due, takes the two full computations.
 */
export function explainNextPayment(input: BreakdownInput, next: NextPayment): NextPaymentExplanation {
  const withNext: BreakdownInput = { ...input, payments: [...input.payments, next] };
  const { regime, firstDay, counted, paidCents, paidByDue, indemnityCents, order } = prepareBreakdown(withNext);
  const last = counted[counted.length - 1];
  // Counted as prepareBreakdown counts: a positive amount paid on or before asOf.
  const nextCounted = next.amountCents > 0 && compareIsoDates(next.paidOn, input.asOf) <= 0;
  const { invoice, asOf } = input;
  const principal = invoice.amountCents;
  // Whether the indemnity is due depends on what was paid by the due date (prepareBreakdown).
  const paidByDueBefore = paidByDue - (nextCounted && compareIsoDates(next.paidOn, invoice.dueDate) <= 0 ? next.amountCents : 0);
  const lateBefore = compareIsoDates(asOf, invoice.dueDate) > 0 && principal - paidByDueBefore > 0;
  const lateAfter = compareIsoDates(asOf, invoice.dueDate) > 0 && principal - paidByDue > 0;
  // Sorted by day then position, the new payment comes last when no counted payment is dated after it.
  const inOrder = nextCounted && last !== undefined && last.index === input.payments.length;
  if (!inOrder || lateBefore !== lateAfter) {
    const after = explainBreakdown(withNext);
    return {
      dueBeforeCents: computeBreakdown(input).totalDueCents,
      ...(nextCounted ? { allocation: after.payments.find((x) => x.ref === next.ref)! } : {}),
      remaining: after.remaining,
    };
  }
  const engine = startEngine(input, { regime, firstDay, indemnityCents, order });
  for (let i = 0; i < counted.length - 1; i++) applyPayment(engine, counted[i]!);
  // Before: the interest still running up to asOf on what the earlier payments left unpaid.
  const tail = engine.cursor !== null ? sumLines(periodLines(engine.cursor, asOf, engine.principalOut, regime)) : 0;
  const dueBeforeCents = Math.max(0, principal + engine.interestAccrued + tail + indemnityCents - (paidCents - next.amountCents));
  applyPayment(engine, last!);
  if (engine.cursor !== null) accrueUpTo(engine, asOf);
  return {
    dueBeforeCents,
    allocation: engine.paymentAllocations[engine.paymentAllocations.length - 1]!,
    remaining: {
      principalCents: engine.principalOut,
      interestCents: engine.interestAccrued - engine.interestPaid,
      indemnityCents: indemnityCents - engine.indemnityPaid,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Settlement and payment checks
// ---------------------------------------------------------------------------------------------

/**
 * Default: settled once the principal is fully paid (accessories are claimed but do not keep the
 * invoice open). pursueAccessories: settled only when nothing at all is due.
 */
export function isSettled(breakdown: AmountBreakdown, pursueAccessories = false): boolean {
  return pursueAccessories ? breakdown.totalDueCents === 0 : breakdown.principalDueCents === 0;
}

/** The largest payment accepted as of breakdown.asOf without overpaying. */
export function maxPayableCents(breakdown: AmountBreakdown): Cents {
  return breakdown.totalDueCents;
}

export type PaymentCheck =
  | { ok: true }
  | { ok: false; error: { code: 'invalid_amount' | 'overpayment'; message: string; maxPayableCents: Cents } };

/** Refuses a non-positive, non-integer or excessive payment amount. */
export function checkPaymentAmount(breakdown: AmountBreakdown, amountCents: Cents): PaymentCheck {
  const max = maxPayableCents(breakdown);
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) {
    return { ok: false, error: { code: 'invalid_amount', message: 'A payment must be a positive whole number of cents.', maxPayableCents: max } };
  }
  if (amountCents > max) {
    return {
      ok: false,
      error: {
        code: 'overpayment',
        message: `Payment of ${toDecimalString(amountCents)} EUR exceeds the amount due of ${toDecimalString(max)} EUR as of ${breakdown.asOf}.`,
        maxPayableCents: max,
      },
    };
  }
  return { ok: true };
}

/**
 * What an operator should do about the provisional rates of a breakdown (add or confirm a row of
 * the rate tables), for the logs: never printed in a letter.
 */
export function provisionalRateActions(b: AmountBreakdown): string[] {
  const actions = new Set<string>();
  for (const line of b.interest.lines) {
    if (!line.provisional) continue;
    const hy = halfYearOf(line.from);
    const q = b.interest.basis === 'legal' ? legalRate(hy, 'business') : ecbRate(hy);
    if (q.operatorAction) actions.add(q.operatorAction);
  }
  return [...actions];
}
