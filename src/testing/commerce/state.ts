// The state of the local server's agentic commerce: one instance per server (held by its Store),
// so that two servers in one process never share merchants, carts or payments.

export interface CommerceTenantRecord {
  readonly id: string;
  readonly developerId: string;
  readonly displayName: string;
  readonly createdAt: number;
}

export interface CommerceMerchantRecord {
  readonly id: string;
  readonly tenantId: string;
  legalName: string;
  displayName: string;
  readonly categoryPreset: string;
  defaultCurrency: string;
  countryCode: string;
  supportEmail: string | null;
  supportUrl: string | null;
  descriptionDraft: string | null;
  agenticCommerceRequested: boolean;
  agenticCommerceEnabled: boolean;
  onboardingState: string;
  onboardingUpdatedAt: number;
  readonly createdAt: number;
  updatedAt: number;
}

export interface CommerceAgentRecord {
  readonly id: string;
  readonly tenantId: string;
  displayName: string;
  readonly agentType: string;
  readonly apiKeyHash: string | null;
  trustStatus: 'pending' | 'trusted' | 'suspended' | 'disabled';
  status: 'active' | 'disabled';
  disabledAt: number | null;
  readonly createdAt: number;
  updatedAt: number;
}

export interface CommerceVariantRecord {
  readonly id: string;
  sku: string;
  priceAmount: number;
  currency: string;
  availability: string;
  variantTitle: string | null;
  lastSyncedAt: number;
  archivedAt: number | null;
}

export interface CommerceProductRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly merchantId: string;
  readonly productId: string;
  title: string;
  brand: string | null;
  description: string | null;
  imageUrl: string | null;
  readonly categoryPreset: string;
  readonly variants: CommerceVariantRecord[];
  archivedAt: number | null;
  readonly createdAt: number;
  updatedAt: number;
}

export interface CommerceConsentRecord {
  readonly requestId: string;
  readonly recordId: string;
  readonly tenantId: string;
  readonly merchantId: string;
  readonly agentId: string;
  readonly passportType: 'browse' | 'checkout';
  readonly scopes: readonly string[];
  readonly maxAmount: number | null;
  readonly currency: string | null;
  readonly userHint: string | null;
  readonly expiresAt: number;
  status: 'requested' | 'granted' | 'denied' | 'expired';
  subject: string | null;
  exchangedJti: string | null;
}

export interface CommercePassportRecord {
  readonly jti: string;
  readonly tenantId: string;
  readonly merchantId: string;
  readonly agentId: string;
  readonly passportType: 'browse' | 'checkout';
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly maxAmount: number | null;
  readonly currency: string | null;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
  revocationReason: string | null;
}

export interface CommercePolicyRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly merchantId: string;
  readonly version: string;
  readonly rules: Record<string, unknown>;
  status: 'draft' | 'active' | 'archived';
  readonly createdBy: string;
  activatedBy: string | null;
  activatedAt: number | null;
  readonly createdAt: number;
  updatedAt: number;
}

export interface CommerceSnapshotItem {
  readonly variantId: string;
  readonly productId: string;
  readonly productRef: string;
  readonly title: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unitAmount: number;
  readonly currency: string;
  readonly availability: string;
}

export interface CommerceCartRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly merchantId: string;
  readonly agentId: string;
  passportJti: string | null;
  readonly items: readonly CommerceSnapshotItem[];
  readonly currency: string;
  readonly total: number;
  status: 'draft' | 'payment_intent_created' | 'cancelled' | 'expired';
  readonly expiresAt: number;
  readonly createdAt: number;
  updatedAt: number;
}

export interface CommercePaymentIntentRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly merchantId: string;
  readonly agentId: string;
  readonly cartId: string;
  readonly passportJti: string;
  readonly amount: number;
  readonly currency: string;
  status: string;
  checkoutUrl: string | null;
  checkoutExpiresAt: number | null;
  providerRawStatus: string;
  readonly policyVersion: string;
  readonly decisionId: string;
  readonly expiresAt: number;
  reconciledAt: number | null;
  lastReconciliationAttemptAt: number | null;
  readonly items: readonly CommerceSnapshotItem[];
  readonly createdAt: number;
  updatedAt: number;
}

export interface CommerceAuditRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly merchantId: string | null;
  readonly agentId: string | null;
  readonly eventType: string;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  readonly passportJti: string | null;
  readonly decisionId: string | null;
  readonly occurredAt: number;
  readonly metadata: Record<string, unknown>;
}

/** A stored answer of an idempotent route: replayed for the same key and body for 24 hours. */
export interface CommerceIdempotencyRecord {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
  readonly storedAt: number;
}

/** Everything the commerce routes keep, keyed by id. */
export class CommerceState {
  readonly tenants = new Map<string, CommerceTenantRecord>();
  /** Developer id → tenant id: the operator's default tenant. */
  readonly defaultTenant = new Map<string, string>();
  readonly merchants = new Map<string, CommerceMerchantRecord>();
  /** Merchant key → merchant id (keys are issued by the server helper, as no API issues them). */
  readonly merchantKeys = new Map<string, string>();
  readonly agents = new Map<string, CommerceAgentRecord>();
  readonly products = new Map<string, CommerceProductRecord>();
  readonly consents = new Map<string, CommerceConsentRecord>();
  readonly passports = new Map<string, CommercePassportRecord>();
  readonly policies = new Map<string, CommercePolicyRecord>();
  readonly carts = new Map<string, CommerceCartRecord>();
  readonly intents = new Map<string, CommercePaymentIntentRecord>();
  readonly audit: CommerceAuditRecord[] = [];
  readonly idempotency = new Map<string, CommerceIdempotencyRecord>();
}
