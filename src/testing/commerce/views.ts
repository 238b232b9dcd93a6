// Commerce records as the real server writes them on the wire: snake_case, 64-bit amounts as
// decimal strings, JSON columns as JSON-encoded strings.
import { iso } from '../encoding.js';
import type {
  CommerceAgentRecord,
  CommerceAuditRecord,
  CommerceCartRecord,
  CommerceMerchantRecord,
  CommercePassportRecord,
  CommercePaymentIntentRecord,
  CommercePolicyRecord,
  CommerceProductRecord,
  CommerceSnapshotItem,
} from './state.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export const merchantView = (m: CommerceMerchantRecord) => ({
  id: m.id,
  tenant_id: m.tenantId,
  legal_name: m.legalName,
  display_name: m.displayName,
  category_preset: m.categoryPreset,
  verification_status: 'unverified',
  environment: 'sandbox',
  agentic_commerce_enabled: m.agenticCommerceEnabled,
  default_currency: m.defaultCurrency,
  country_code: m.countryCode,
  support_email: m.supportEmail,
  support_url: m.supportUrl,
  public_discovery_description_draft: m.descriptionDraft,
  agentic_commerce_requested: m.agenticCommerceRequested,
  sandbox_onboarding_state: m.onboardingState,
  sandbox_onboarding_blocker: null,
  sandbox_onboarding_updated_at: iso(m.onboardingUpdatedAt),
  created_at: iso(m.createdAt),
  updated_at: iso(m.updatedAt),
});

export const agentView = (a: CommerceAgentRecord, withStatus: boolean) => ({
  id: a.id,
  tenant_id: a.tenantId,
  display_name: a.displayName,
  agent_type: a.agentType,
  public_key_jwk: null,
  trust_status: a.trustStatus,
  ...(withStatus ? { status: a.status } : {}),
  disabled_at: isoOrNull(a.disabledAt),
  created_at: iso(a.createdAt),
  updated_at: iso(a.updatedAt),
});

export function productView(p: CommerceProductRecord, now: number) {
  return {
    id: p.id,
    tenant_id: p.tenantId,
    merchant_id: p.merchantId,
    product_id: p.productId,
    title: p.title,
    brand: p.brand,
    description: p.description,
    image_url: p.imageUrl,
    category_preset: p.categoryPreset,
    source_system: 'manual',
    manually_maintained: false,
    archived_at: isoOrNull(p.archivedAt),
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    variants: p.variants.map((v) => {
      const stale = now - v.lastSyncedAt > STALE_AFTER_MS;
      return {
        id: v.id,
        sku: v.sku,
        parent_sku: null,
        model: null,
        variant_title: v.variantTitle,
        attributes: '{}',
        price_amount: String(v.priceAmount),
        currency: v.currency,
        tax_inclusive: true,
        gst_slab: null,
        tax_rate: null,
        hsn_code: null,
        availability_status: v.availability,
        warranty_summary: null,
        return_policy_summary: null,
        source_system: 'manual',
        last_synced_at: iso(v.lastSyncedAt),
        archived_at: isoOrNull(v.archivedAt),
        stale,
        freshness: stale ? 'stale' : 'fresh',
      };
    }),
  };
}

export function productSummaryView(p: CommerceProductRecord, now: number) {
  return {
    id: p.id,
    product_id: p.productId,
    merchant_id: p.merchantId,
    title: p.title,
    brand: p.brand,
    image_url: p.imageUrl,
    category_preset: p.categoryPreset,
    updated_at: iso(p.updatedAt),
    variants_summary: p.variants
      .filter((v) => v.archivedAt === null)
      .map((v) => {
        const stale = now - v.lastSyncedAt > STALE_AFTER_MS;
        return {
          variant_id: v.id,
          sku: v.sku,
          variant_title: v.variantTitle,
          model: null,
          price_amount: String(v.priceAmount),
          currency: v.currency,
          availability_status: v.availability,
          last_synced_at: iso(v.lastSyncedAt),
          stale,
          freshness: stale ? 'stale' : 'fresh',
        };
      }),
  };
}

const snapshotView = (item: CommerceSnapshotItem) => ({
  variant_id: item.variantId,
  product_id: item.productId,
  product_ref: item.productRef,
  title: item.title,
  sku: item.sku,
  quantity: item.quantity,
  unit_amount: item.unitAmount,
  line_total_amount: item.unitAmount * item.quantity,
  currency: item.currency,
  availability_status: item.availability,
});

export const cartView = (c: CommerceCartRecord) => ({
  id: c.id,
  cart_id: c.id,
  tenant_id: c.tenantId,
  merchant_id: c.merchantId,
  agent_id: c.agentId,
  passport_jti: c.passportJti,
  line_items: c.items.map((item) => ({ variant_id: item.variantId, quantity: item.quantity })),
  line_items_snapshot: c.items.map(snapshotView),
  currency: c.currency,
  subtotal_amount: String(c.total),
  tax_amount: '0',
  total_amount: String(c.total),
  status: c.status,
  expires_at: iso(c.expiresAt),
  created_at: iso(c.createdAt),
  updated_at: iso(c.updatedAt),
});

export const passportView = (p: CommercePassportRecord) => ({
  jti: p.jti,
  tenant_id: p.tenantId,
  merchant_id: p.merchantId,
  agent_id: p.agentId,
  passport_type: p.passportType,
  subject: p.subject,
  scopes: [...p.scopes],
  max_amount: p.maxAmount === null ? null : String(p.maxAmount),
  currency: p.currency,
  environment: 'sandbox',
  issued_at: iso(p.issuedAt),
  expires_at: iso(p.expiresAt),
  revoked: p.revoked,
  revocation_reason: p.revocationReason,
});

export const policyView = (p: CommercePolicyRecord) => ({
  id: p.id,
  tenant_id: p.tenantId,
  merchant_id: p.merchantId,
  version: p.version,
  rules: p.rules,
  status: p.status,
  created_by: p.createdBy,
  activated_by: p.activatedBy,
  activated_at: isoOrNull(p.activatedAt),
  created_at: iso(p.createdAt),
  updated_at: iso(p.updatedAt),
});

export const intentView = (i: CommercePaymentIntentRecord) => ({
  id: i.id,
  payment_intent_id: i.id,
  tenant_id: i.tenantId,
  merchant_id: i.merchantId,
  agent_id: i.agentId,
  cart_id: i.cartId,
  passport_jti: i.passportJti,
  amount: String(i.amount),
  amount_minor_units: String(i.amount),
  currency: i.currency,
  provider: 'mock',
  provider_environment: 'sandbox',
  provider_payment_id: `mock_pay_${i.id}`,
  provider_order_id: `mock_order_${i.id}`,
  checkout_url: i.checkoutUrl,
  checkout_expires_at: isoOrNull(i.checkoutExpiresAt),
  status: i.status,
  line_items_snapshot: i.items.map(snapshotView),
  provider_metadata: { amount_minor_units: i.amount },
  provider_raw_status: i.providerRawStatus,
  policy_version: i.policyVersion,
  decision_id: i.decisionId,
  expires_at: iso(i.expiresAt),
  reconciled_at: isoOrNull(i.reconciledAt),
  last_reconciliation_attempt_at: isoOrNull(i.lastReconciliationAttemptAt),
  last_reconciliation_error: null,
  last_reconciliation_retryable: null,
  created_at: iso(i.createdAt),
  updated_at: iso(i.updatedAt),
});

export const auditView = (a: CommerceAuditRecord) => ({
  id: a.id,
  tenant_id: a.tenantId,
  merchant_id: a.merchantId,
  agent_id: a.agentId,
  user_principal_id: null,
  event_type: a.eventType,
  resource_type: a.resourceType,
  resource_id: a.resourceId,
  passport_jti: a.passportJti,
  policy_version: null,
  decision_id: a.decisionId,
  idempotency_key_hash: null,
  request_id: null,
  occurred_at: iso(a.occurredAt),
  metadata: JSON.stringify(a.metadata),
});
