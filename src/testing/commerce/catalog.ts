// Merchants, commerce agents and the catalog: the onboarding half of the commerce journey, with the
// real server's validation (sandbox-only merchants, test-domain support e-mail, integer prices,
// agents registered by key hash and trusted by an operator).
import { ulid } from '../encoding.js';
import type { Ctx } from '../http.js';
import { fail, invalid, merchantFor, notFoundError, requireKind, stateOf, type Caller } from './caller.js';
import type { CommerceRoute } from './route.js';
import type { CommerceProductRecord } from './state.js';
import { answer, audit, bodyOf, FieldCheck } from './support.js';
import { agentView, merchantView, productSummaryView, productView } from './views.js';

const TEST_DOMAIN = /@[^@\s]+\.(?:example|test|invalid|localhost)$/i;
const MERCHANT_FIELDS = ['legal_name', 'display_name', 'category_preset', 'default_currency', 'country_code', 'support_email', 'support_url', 'public_discovery_description_draft', 'agentic_commerce_requested'];
const MERCHANT_PATCH_FIELDS = ['legal_name', 'display_name', 'category_preset', 'default_currency', 'country_code', 'support_email', 'agentic_commerce_enabled'];
const AVAILABILITY = ['in_stock', 'out_of_stock', 'pre_order', 'back_order', 'unknown'];

function merchantOf(ctx: Ctx, caller: Caller, merchantId: string) {
  const merchant = stateOf(ctx).merchants.get(merchantId);
  if (!merchant || merchant.tenantId !== caller.tenantId) throw notFoundError('Merchant', 'merchant_not_found');
  if (caller.kind === 'merchant' && caller.merchantId !== merchant.id) throw fail(403, 'caller_not_authorized', 'Caller is not authorized for this merchant', { retryable: false });
  if (caller.kind === 'agent') throw fail(403, 'caller_not_authorized', 'Caller is not authorized for this merchant', { retryable: false });
  return merchant;
}

const createMerchant: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/merchants',
  async handler(ctx, caller) {
    requireKind(caller, 'operator');
    const check = new FieldCheck(bodyOf(ctx));
    check.only(MERCHANT_FIELDS);
    const legalName = check.string('legal_name', true);
    const displayName = check.string('display_name', true);
    const preset = check.string('category_preset', true);
    if (preset !== undefined && preset !== 'electronics_appliances') check.fields['category_preset'] = 'must be electronics_appliances';
    const currency = check.currency('default_currency', false) ?? 'INR';
    const country = check.string('country_code', false) ?? 'IN';
    if (!/^[A-Z]{2}$/.test(country)) check.fields['country_code'] = 'must be a 2-letter ISO country code';
    const email = check.body['support_email'];
    if (email !== undefined && email !== null && (typeof email !== 'string' || email.length > 254 || !TEST_DOMAIN.test(email))) {
      check.fields['support_email'] = 'must be an e-mail address on a .example, .test, .invalid or .localhost domain in sandbox';
    }
    const requested = check.body['agentic_commerce_requested'];
    if (requested !== undefined && typeof requested !== 'boolean') check.fields['agentic_commerce_requested'] = 'must be a boolean';
    check.done();
    const state = stateOf(ctx);
    const id = `mch_${ulid(ctx.now)}`;
    const merchant = {
      id,
      tenantId: caller.tenantId,
      legalName: legalName!,
      displayName: displayName!,
      categoryPreset: preset!,
      defaultCurrency: currency,
      countryCode: country,
      supportEmail: typeof email === 'string' ? email : null,
      supportUrl: typeof check.body['support_url'] === 'string' ? (check.body['support_url'] as string) : null,
      descriptionDraft: typeof check.body['public_discovery_description_draft'] === 'string' ? (check.body['public_discovery_description_draft'] as string) : null,
      agenticCommerceRequested: requested === true,
      agenticCommerceEnabled: false,
      onboardingState: 'draft_created',
      onboardingUpdatedAt: ctx.now,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    state.merchants.set(id, merchant);
    const auditEventId = audit(state, ctx.now, { tenantId: caller.tenantId, merchantId: id, eventType: 'merchant.created', resourceType: 'commerce_merchant', resourceId: id });
    return answer(201, { data: merchantView(merchant), audit_event_id: auditEventId });
  },
};

const getMerchant: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/merchants/{merchantId}',
  async handler(ctx, caller) {
    const merchant = merchantOf(ctx, caller, ctx.params['merchantId']!);
    return answer(200, { data: { ...merchantView(merchant), disabled_at: null } });
  },
};

const updateMerchant: CommerceRoute = {
  method: 'PATCH',
  path: '/v1/commerce/merchants/{merchantId}',
  async handler(ctx, caller) {
    requireKind(caller, 'operator', 'merchant');
    const merchant = merchantOf(ctx, caller, ctx.params['merchantId']!);
    const check = new FieldCheck(bodyOf(ctx));
    check.only(MERCHANT_PATCH_FIELDS);
    if (Object.keys(check.body).length === 0) check.fields['body'] = 'at least one field is required';
    const enabled = check.body['agentic_commerce_enabled'];
    if (enabled !== undefined && typeof enabled !== 'boolean') check.fields['agentic_commerce_enabled'] = 'must be a boolean';
    const legalName = check.string('legal_name', false);
    const displayName = check.string('display_name', false);
    const currency = check.currency('default_currency', false);
    check.done();
    if (legalName !== undefined) merchant.legalName = legalName;
    if (displayName !== undefined) merchant.displayName = displayName;
    if (currency !== undefined) merchant.defaultCurrency = currency;
    if (typeof enabled === 'boolean') merchant.agenticCommerceEnabled = enabled;
    merchant.updatedAt = ctx.now;
    const auditEventId = audit(stateOf(ctx), ctx.now, {
      tenantId: merchant.tenantId,
      merchantId: merchant.id,
      eventType: typeof enabled === 'boolean' ? 'merchant.feature_flag.updated' : 'merchant.updated',
      resourceType: 'commerce_merchant',
      resourceId: merchant.id,
    });
    return answer(200, { data: merchantView(merchant), audit_event_id: auditEventId });
  },
};

const createAgent: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/agents',
  async handler(ctx, caller) {
    requireKind(caller, 'operator');
    const check = new FieldCheck(bodyOf(ctx));
    const displayName = check.string('display_name', true);
    const hash = check.body['api_key_hash'];
    if (hash !== undefined && (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))) check.fields['api_key_hash'] = 'must be a lowercase hex SHA-256';
    if (hash === undefined && check.body['public_key_jwk'] === undefined) check.fields['api_key_hash'] = 'api_key_hash or public_key_jwk is required';
    const trust = check.body['trust_status'];
    if (trust !== undefined && trust !== 'pending') check.fields['trust_status'] = 'new agents start pending';
    check.done();
    const state = stateOf(ctx);
    const id = `cag_${ulid(ctx.now)}`;
    const agentType = typeof check.body['agent_type'] === 'string' ? (check.body['agent_type'] as string) : 'sales';
    const agent = { id, tenantId: caller.tenantId, displayName: displayName!, agentType, apiKeyHash: typeof hash === 'string' ? hash : null, trustStatus: 'pending' as const, status: 'active' as const, disabledAt: null, createdAt: ctx.now, updatedAt: ctx.now };
    state.agents.set(id, agent);
    const auditEventId = audit(state, ctx.now, { tenantId: caller.tenantId, agentId: id, eventType: 'commerce_agent.created', resourceType: 'commerce_agent', resourceId: id });
    return answer(201, { data: agentView(agent, false), audit_event_id: auditEventId });
  },
};

const listAgents: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/agents',
  async handler(ctx, caller) {
    if (caller.kind === 'agent' && ctx.query.has('merchant_id')) throw fail(403, 'caller_not_authorized', 'Agents may not filter by merchant', { retryable: false });
    const agents = [...stateOf(ctx).agents.values()]
      .filter((a) => a.tenantId === caller.tenantId && (caller.kind !== 'agent' || a.id === caller.agentId))
      .filter((a) => (ctx.query.get('trust_status') ?? a.trustStatus) === a.trustStatus && (ctx.query.get('status') ?? a.status) === a.status)
      .sort((a, b) => b.createdAt - a.createdAt);
    return answer(200, { items: agents.map((a) => agentView(a, true)), next_cursor: null });
  },
};

function agentOf(ctx: Ctx, caller: Caller) {
  const agent = stateOf(ctx).agents.get(ctx.params['agentId']!);
  if (!agent || agent.tenantId !== caller.tenantId) throw notFoundError('Agent', 'agent_not_found');
  if (caller.kind === 'merchant' || (caller.kind === 'agent' && caller.agentId !== agent.id)) throw fail(403, 'caller_not_authorized', 'Caller is not authorized for this agent', { retryable: false });
  return agent;
}

const getAgent: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/agents/{agentId}',
  async handler(ctx, caller) {
    return answer(200, { data: agentView(agentOf(ctx, caller), false) });
  },
};

const updateAgent: CommerceRoute = {
  method: 'PATCH',
  path: '/v1/commerce/agents/{agentId}',
  async handler(ctx, caller) {
    requireKind(caller, 'operator');
    const agent = agentOf(ctx, caller);
    const check = new FieldCheck(bodyOf(ctx));
    check.only(['display_name', 'trust_status', 'status']);
    if (Object.keys(check.body).length === 0) check.fields['body'] = 'at least one field is required';
    const trust = check.body['trust_status'];
    const status = check.body['status'];
    if (trust !== undefined && !['pending', 'trusted', 'suspended', 'disabled'].includes(trust as string)) check.fields['trust_status'] = 'must be pending, trusted, suspended or disabled';
    if (status !== undefined && status !== 'active' && status !== 'disabled') check.fields['status'] = 'must be active or disabled';
    if (trust === 'trusted' && (status === 'disabled' || (status === undefined && agent.status === 'disabled'))) check.fields['trust_status'] = 'a disabled agent cannot be trusted';
    const name = check.string('display_name', false);
    check.done();
    if (name !== undefined) agent.displayName = name;
    if (trust !== undefined) agent.trustStatus = trust as typeof agent.trustStatus;
    if (status !== undefined) {
      agent.status = status as typeof agent.status;
      agent.disabledAt = status === 'disabled' ? ctx.now : null;
    }
    agent.updatedAt = ctx.now;
    const auditEventId = audit(stateOf(ctx), ctx.now, { tenantId: agent.tenantId, agentId: agent.id, eventType: 'agent.updated', resourceType: 'commerce_agent', resourceId: agent.id });
    return answer(200, { data: agentView(agent, true), audit_event_id: auditEventId });
  },
};

const createProduct: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/catalog/products',
  async handler(ctx, caller) {
    requireKind(caller, 'operator');
    const body = bodyOf(ctx);
    const merchantId = merchantFor(ctx, caller, body['merchant_id']);
    const state = stateOf(ctx);
    const check = new FieldCheck(body);
    const productId = check.string('product_id', true);
    const title = check.string('title', true);
    check.string('category_preset', true);
    const variants = body['variants'];
    const active = [...state.products.values()].filter((p) => p.merchantId === merchantId && p.archivedAt === null);
    if (productId !== undefined && active.some((p) => p.productId === productId)) check.fields['product_id'] = 'already exists for this merchant';
    const skus = new Set(active.flatMap((p) => p.variants.map((v) => v.sku)));
    if (!Array.isArray(variants) || variants.length === 0) check.fields['variants'] = 'required non-empty array';
    const parsed = (Array.isArray(variants) ? variants : []).map((raw, index) => {
      const variant = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const sku = typeof variant['sku'] === 'string' && variant['sku'] !== '' ? (variant['sku'] as string) : undefined;
      if (sku === undefined) check.fields[`variants[${index}].sku`] = 'required string';
      else if (skus.has(sku)) check.fields[`variants[${index}].sku`] = 'already exists for this merchant';
      else skus.add(sku);
      const price = check.amount('price_amount', true, `variants[${index}].price_amount`, variant);
      const currency = variant['currency'] === undefined ? 'INR' : variant['currency'];
      if (typeof currency !== 'string') check.fields[`variants[${index}].currency`] = 'must be a string';
      const availability = variant['availability_status'] ?? 'unknown';
      if (!AVAILABILITY.includes(availability as string)) check.fields[`variants[${index}].availability_status`] = `must be one of ${AVAILABILITY.join(', ')}`;
      return {
        id: `cvar_${ulid(ctx.now)}`,
        sku: sku ?? '',
        priceAmount: price ?? 0,
        currency: String(currency),
        availability: String(availability),
        variantTitle: typeof variant['variant_title'] === 'string' ? (variant['variant_title'] as string) : null,
        lastSyncedAt: ctx.now,
        archivedAt: null,
      };
    });
    check.done();
    const id = `cprd_${ulid(ctx.now)}`;
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : null);
    const product: CommerceProductRecord = {
      id,
      tenantId: caller.tenantId,
      merchantId,
      productId: productId!,
      title: title!,
      brand: text('brand'),
      description: text('description'),
      imageUrl: text('image_url'),
      categoryPreset: String(body['category_preset']),
      variants: parsed,
      archivedAt: null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    state.products.set(id, product);
    const auditEventId = audit(state, ctx.now, { tenantId: caller.tenantId, merchantId, eventType: 'product.created', resourceType: 'commerce_product', resourceId: id });
    return answer(201, { data: productView(product, ctx.now), audit_event_id: auditEventId });
  },
};

/** The catalog a read names: operators and agents name the merchant, a merchant key reads its own. */
function catalogMerchant(ctx: Ctx, caller: Caller, named: unknown): string {
  if (caller.kind === 'merchant' && named !== undefined && named !== null && named !== caller.merchantId) {
    throw fail(403, 'merchant_scope_violation', 'Merchant callers may only read their own catalog');
  }
  return merchantFor(ctx, caller, caller.kind === 'merchant' ? undefined : named);
}

function matches(product: CommerceProductRecord, query: string | null): boolean {
  if (!query) return true;
  const needle = query.toLowerCase();
  return [product.title, product.brand ?? '', product.productId].some((text) => text.toLowerCase().includes(needle));
}

function limitOf(raw: unknown): number {
  if (raw === undefined || raw === null) return 25;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) throw invalid({ limit: 'must be an integer from 1 to 100' });
  return value;
}

const listProducts: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/catalog/products',
  async handler(ctx, caller) {
    const merchantId = catalogMerchant(ctx, caller, ctx.query.get('merchant_id') ?? undefined);
    const status = ctx.query.get('status') ?? 'active';
    if (!['active', 'archived', 'all'].includes(status)) throw invalid({ status: 'must be active, archived or all' });
    const limit = limitOf(ctx.query.get('limit') ?? undefined);
    const products = [...stateOf(ctx).products.values()]
      .filter((p) => p.merchantId === merchantId)
      .filter((p) => status === 'all' || (status === 'active') === (p.archivedAt === null))
      .filter((p) => matches(p, ctx.query.get('query')))
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1));
    return answer(200, { items: products.slice(0, limit).map((p) => productSummaryView(p, ctx.now)), next_cursor: null });
  },
};

const getProduct: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/catalog/products/{productId}',
  async handler(ctx, caller) {
    const named = ctx.query.get('merchant_id') ?? undefined;
    if (caller.kind === 'agent' && named === undefined) throw invalid({ merchant_id: 'required string' });
    const merchantId = caller.kind === 'operator' && named === undefined ? undefined : catalogMerchant(ctx, caller, named);
    const ref = ctx.params['productId']!;
    const product = [...stateOf(ctx).products.values()].find(
      (p) => p.tenantId === caller.tenantId && p.archivedAt === null && (p.id === ref || p.productId === ref) && (merchantId === undefined || p.merchantId === merchantId),
    );
    if (!product) throw notFoundError('Product', 'product_not_found');
    return answer(200, { data: productView(product, ctx.now) });
  },
};

const searchCatalog: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/catalog/search',
  ipLimit: 600,
  async handler(ctx, caller) {
    const body = bodyOf(ctx);
    const named = body['merchant_id'];
    if (caller.kind !== 'merchant' && (typeof named !== 'string' || named === '')) throw invalid({ merchant_id: 'required string' });
    const merchantId = caller.kind === 'merchant' ? catalogMerchant(ctx, caller, named) : String(named);
    const filters = (typeof body['filters'] === 'object' && body['filters'] !== null ? body['filters'] : {}) as Record<string, unknown>;
    const unknown = Object.keys(filters).filter((key) => !['brand', 'category_preset', 'availability_status', 'currency'].includes(key));
    if (unknown.length > 0) throw invalid({ 'filters.unsupported_fields': unknown.join(', ') });
    const limit = limitOf(body['limit']);
    const query = typeof body['query'] === 'string' ? body['query'] : null;
    const items = [...stateOf(ctx).products.values()]
      .filter((p) => p.tenantId === caller.tenantId && p.merchantId === merchantId && p.archivedAt === null && matches(p, query))
      .filter((p) => filters['brand'] === undefined || p.brand === filters['brand'])
      .map((p) => {
        const view = productSummaryView(p, ctx.now);
        const variants = view.variants_summary.filter(
          (v) => (filters['availability_status'] === undefined || v.availability_status === filters['availability_status']) && (filters['currency'] === undefined || v.currency === filters['currency']),
        );
        return { ...view, variants_summary: variants };
      })
      .filter((view) => view.variants_summary.length > 0)
      .slice(0, limit);
    return answer(200, { items, next_cursor: null });
  },
};

export const catalogRoutes: CommerceRoute[] = [createMerchant, getMerchant, updateMerchant, createAgent, listAgents, getAgent, updateAgent, createProduct, listProducts, getProduct, searchCatalog];
