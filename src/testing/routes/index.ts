// Routes with cheap state beyond the core flows. Everything else answers its spec example.
import type { Route } from '../http.js';
import { anomalyRoutes } from './anomalies.js';
import { billingRoutes } from './billing.js';
import { budgetRoutes } from './budgets.js';
import { bundleRoutes } from './bundles.js';
import { commerceRoutes } from '../commerce/index.js';
import { complianceRoutes } from './compliance.js';
import { credentialRoutes } from './credentials.js';
import { dpdpRoutes } from './dpdp.js';
import { passportRoutes } from './passports.js';
import { principalRoutes } from './principal.js';
import { registryRoutes } from './registry.js';
import { scimRoutes } from './scim.js';
import { ssoRoutes } from './sso.js';
import { ssoLoginRoutes } from './sso-login.js';
import { webauthnRoutes } from './webauthn.js';

export const extraRoutes: Route[] = [...budgetRoutes, ...complianceRoutes, ...principalRoutes, ...anomalyRoutes, ...scimRoutes, ...ssoRoutes, ...credentialRoutes, ...passportRoutes, ...dpdpRoutes, ...bundleRoutes, ...billingRoutes, ...registryRoutes, ...webauthnRoutes, ...ssoLoginRoutes];

// Agentic commerce lives in its own files (src/testing/commerce).
extraRoutes.push(...commerceRoutes());
