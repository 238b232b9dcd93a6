// Budgets: one allocation per grant, debits against it, threshold events, and the `bdg` claim
// that refreshed tokens of a grant with a budget carry.
import { cloneJson, iso, ulid } from '../encoding.js';
import { badRequest, HttpError, isPlainObject, isString, json, notFound, objectBody, type Ctx, type Route } from '../http.js';
import type { BudgetRecord, BudgetTransactionRecord, GrantRecord, Store } from '../store.js';

const UNIT = 10_000;
/** A decimal with four fractional digits, as the API writes money (`"89.5000"`). */
const dec = (units: number) => (units / UNIT).toFixed(4);

/** The remaining budget of a grant, as the `bdg` claim carries it; `undefined` without an allocation. */
export function remainingBudget(store: Store, grantId: string): number | undefined {
  const budget = store.budgets.get(grantId);
  return budget === undefined ? undefined : budget.remaining / UNIT;
}

const allocationView = (b: BudgetRecord) => ({
  id: b.id,
  grantId: b.grantId,
  developerId: b.developerId,
  initialBudget: dec(b.initial),
  remainingBudget: dec(b.remaining),
  currency: b.currency,
  createdAt: iso(b.createdAt),
  updatedAt: iso(b.updatedAt),
});

const transactionView = (t: BudgetTransactionRecord) => ({
  id: t.id,
  grantId: t.grantId,
  allocationId: t.allocationId,
  amount: dec(t.amount),
  description: t.description,
  metadata: JSON.stringify(t.metadata),
  createdAt: iso(t.createdAt),
});

/** A positive amount in whole ten-thousandths; 400 otherwise. */
function amountOf(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw badRequest(`${name} must be a positive number`);
  const units = Math.round(value * UNIT);
  if (units <= 0) throw badRequest(`${name} must be at least 0.0001`);
  return units;
}

/** The caller's grant, which must be active and unexpired. */
function usableGrant(ctx: Ctx, grantId: unknown): GrantRecord {
  if (!isString(grantId) || grantId.length === 0) throw badRequest('grantId is required');
  const grant = ctx.core.store.grants.get(grantId);
  if (!grant || grant.developerId !== ctx.developer.developerId) throw notFound('Grant not found');
  if (grant.status !== 'active' || grant.expiresAt <= ctx.now) throw new HttpError(409, 'GRANT_INACTIVE', 'Grant is not active');
  return grant;
}

function positiveInt(ctx: Ctx, name: string, fallback: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw badRequest(`${name} must be an integer from 1 to ${max}`);
  return Number(raw);
}

export const budgetRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/budget/allocations',
    auth: 'apiKey',
    handler: ({ core, developer }) =>
      json(200, { allocations: [...core.store.budgets.values()].filter((b) => b.developerId === developer.developerId).sort((a, b) => b.seq - a.seq).map(allocationView) }),
  },
  {
    method: 'POST',
    path: '/v1/budget/allocate',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const initial = amountOf(body['initialBudget'], 'initialBudget');
      const currency = body['currency'] ?? 'USD';
      if (!isString(currency) || currency.length === 0) throw badRequest('currency must be a string');
      const grant = usableGrant(ctx, body['grantId']);
      const { store } = ctx.core;
      if (store.budgets.has(grant.grantId)) throw new HttpError(409, 'CONFLICT', 'A budget is already allocated to this grant');
      const budget: BudgetRecord = {
        id: `bdg_${ulid(ctx.now)}`,
        grantId: grant.grantId,
        developerId: grant.developerId,
        initial,
        remaining: initial,
        currency,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.budgets.set(grant.grantId, budget);
      return json(201, allocationView(budget));
    },
  },
  {
    method: 'POST',
    path: '/v1/budget/debit',
    auth: 'apiKey',
    ipLimit: 30,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const amount = amountOf(body['amount'], 'amount');
      if (body['description'] !== undefined && !isString(body['description'])) throw badRequest('description must be a string');
      if (body['metadata'] !== undefined && !isPlainObject(body['metadata'])) throw badRequest('metadata must be an object');
      const grant = usableGrant(ctx, body['grantId']);
      const { store } = ctx.core;
      const budget = store.budgets.get(grant.grantId);
      // A grant without an allocation has nothing to spend: 402, not 404, on the real server.
      if (!budget || amount > budget.remaining) throw new HttpError(402, 'INSUFFICIENT_BUDGET', 'Insufficient budget');
      const before = budget.remaining;
      budget.remaining -= amount;
      budget.updatedAt = ctx.now;
      const transaction: BudgetTransactionRecord = {
        id: `btx_${ulid(ctx.now)}`,
        grantId: grant.grantId,
        allocationId: budget.id,
        amount,
        description: (body['description'] as string | undefined) ?? null,
        metadata: cloneJson((body['metadata'] as Record<string, unknown> | undefined) ?? {}),
        createdAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.budgetTransactions.push(transaction);
      for (const pct of [50, 80]) {
        const line = budget.initial * (1 - pct / 100);
        if (before > line && budget.remaining <= line) await ctx.core.emit(grant.developerId, 'budget.threshold', { grantId: grant.grantId, pct, remaining: dec(budget.remaining) });
      }
      if (budget.remaining === 0) await ctx.core.emit(grant.developerId, 'budget.exhausted', { grantId: grant.grantId, remaining: '0' });
      return json(200, { remaining: dec(budget.remaining), transactionId: transaction.id, grantId: grant.grantId });
    },
  },
  {
    method: 'GET',
    path: '/v1/budget/balance/{grantId}',
    auth: 'apiKey',
    handler: ({ core, developer, params }) => {
      const budget = core.store.budgets.get(params['grantId']!);
      if (!budget || budget.developerId !== developer.developerId) throw notFound('No budget allocation for this grant');
      return json(200, allocationView(budget));
    },
  },
  {
    method: 'GET',
    path: '/v1/budget/transactions/{grantId}',
    auth: 'apiKey',
    handler: (ctx) => {
      const page = positiveInt(ctx, 'page', 1, Number.MAX_SAFE_INTEGER);
      const pageSize = positiveInt(ctx, 'pageSize', 50, 200);
      const budget = ctx.core.store.budgets.get(ctx.params['grantId']!);
      const mine = budget?.developerId === ctx.developer.developerId;
      const all = mine ? ctx.core.store.budgetTransactions.filter((t) => t.grantId === budget.grantId).sort((a, b) => b.seq - a.seq) : [];
      return json(200, { transactions: all.slice((page - 1) * pageSize, page * pageSize).map(transactionView), total: all.length });
    },
  },
];
