// What a test switches in the outside world the server talks to: DNS TXT records, Stripe
// checkouts, LDAP directories. Each reads the server's current store (reset replaces it).
import { GrantexInvalidArgumentError } from '../errors.js';
import type { ServerClock } from './clock.js';
import type { TestBilling, TestDns, TestLdap } from './server-types.js';
import type { Store } from './store.js';

export function dnsControl(store: () => Store): TestDns {
  return {
    publish(name, value) {
      if (typeof name !== 'string' || name.length === 0) throw new GrantexInvalidArgumentError('name must be a DNS name');
      const values = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new GrantexInvalidArgumentError('value must be a string or an array of strings');
      const key = name.toLowerCase().replace(/\.$/, '');
      store().dnsTxt.set(key, [...(store().dnsTxt.get(key) ?? []), ...values]);
    },
    unpublish(name) {
      if (name === undefined) store().dnsTxt.clear();
      else store().dnsTxt.delete(name.toLowerCase().replace(/\.$/, ''));
    },
  };
}

export function ldapControl(store: () => Store): TestLdap {
  return {
    serve(ldapUrl, directory) {
      const valid =
        typeof ldapUrl === 'string' && /^ldaps?:\/\//i.test(ldapUrl) && typeof directory?.bindDn === 'string' && typeof directory.bindPassword === 'string' && Array.isArray(directory.users) &&
        directory.users.every((u) => typeof u?.username === 'string' && typeof u.password === 'string' && typeof u.dn === 'string');
      if (!valid) throw new GrantexInvalidArgumentError('ldap.serve needs an ldap:// URL and {bindDn, bindPassword, users: [{username, password, dn}]}');
      store().ldapDirectories.set(ldapUrl, structuredClone(directory));
    },
    stop(ldapUrl) {
      if (ldapUrl === undefined) store().ldapDirectories.clear();
      else store().ldapDirectories.delete(ldapUrl);
    },
  };
}

/** `liveDeveloperId` is whom `cancel()` applies to by default. */
export function billingControl(store: () => Store, clock: ServerClock, liveDeveloperId: () => string): TestBilling {
  return {
    complete(checkoutUrl) {
      const id = typeof checkoutUrl === 'string' ? checkoutUrl.slice(checkoutUrl.lastIndexOf('/') + 1) : '';
      const checkout = store().checkouts.get(id);
      const developer = checkout && store().developers.get(checkout.developerId);
      if (!checkout || !developer) throw new GrantexInvalidArgumentError('checkoutUrl is not a checkout of this test server');
      developer.plan = checkout.plan;
      store().subscriptions.set(developer.developerId, { plan: checkout.plan, status: 'active', currentPeriodEnd: clock.ms() + 30 * 86_400_000 });
      store().checkouts.delete(id);
    },
    cancel(developerId = liveDeveloperId()) {
      const developer = store().developers.get(developerId);
      if (!developer) throw new GrantexInvalidArgumentError('developerId is not a developer of this test server');
      developer.plan = 'free';
      store().subscriptions.set(developerId, { plan: 'free', status: 'canceled', currentPeriodEnd: null });
    },
  };
}
