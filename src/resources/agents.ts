import { deleteAgent, getAgent, listAgents, registerAgent, updateAgent } from '../../generated/sdk.gen.js';
import type { Agent, AgentList, RegisterAgentData, UpdateAgentData } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `client.agents.register`: `name`, optional `description` and `scopes`.
 *
 * @example
 * ```ts
 * const params: RegisterAgentParams = { name: 'travel-assistant', scopes: ['booking:read'] };
 * ```
 */
export type RegisterAgentParams = RegisterAgentData['body'];
/**
 * The body of `client.agents.update`: any of `name`, `description`, `scopes`, `status`.
 *
 * @example
 * ```ts
 * const params: UpdateAgentParams = { status: 'suspended' };
 * ```
 */
export type UpdateAgentParams = UpdateAgentData['body'];

/**
 * Agents are the AI programs that ask users for access. `client.agents`.
 *
 * @example
 * ```ts
 * const agent = await client.agents.register({ name: 'travel-assistant', scopes: ['booking:read'] });
 * await client.agents.update(agent.agentId, { status: 'suspended' });
 * ```
 */
export class Agents {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.agents`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Registers a new agent; it starts `active` with a `did:grantex:…` DID. `scopes` lists what it may
   * later ask users for. Past the plan's agent limit it throws `PaymentRequiredError`.
   *
   * @example
   * ```ts
   * const { agentId, did } = await client.agents.register({ name: 'travel-assistant', scopes: ['booking:read'] });
   * ```
   */
  register(params: RegisterAgentParams, options?: RequestOptions): ApiPromise<DeepReadonly<Agent>> {
    return this.#transport.call('registerAgent', 'post', (o) => registerAgent({ ...o, body: params }), options);
  }

  /**
   * Lists every agent of the developer, newest first (the API does not paginate agents).
   *
   * @example
   * ```ts
   * const { agents } = await client.agents.list();
   * ```
   */
  list(options?: RequestOptions): ApiPromise<DeepReadonly<AgentList>> {
    return this.#transport.call('listAgents', 'get', (o) => listAgents(o), options);
  }

  /**
   * Every agent (the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const agent of client.agents.listAll()) console.log(agent.agentId, agent.status);
   * ```
   */
  listAll(options?: RequestOptions): AsyncGenerator<DeepReadonly<Agent>, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<DeepReadonly<AgentList>, 'agents'>('agents'));
  }

  /**
   * Fetches one agent. Throws `NotFoundError` for an unknown id or another developer's agent.
   *
   * @example
   * ```ts
   * const agent = await client.agents.get('ag_01HXYZ');
   * ```
   */
  get(agentId: string, options?: RequestOptions): ApiPromise<DeepReadonly<Agent>> {
    return this.#transport.call('getAgent', 'get', (o) => getAgent({ ...o, path: { id: pathParam('agentId', agentId) } }), options);
  }

  /**
   * Changes an agent's name, description, scopes or status; send at least one. A `suspended` agent
   * cannot start authorization requests, exchange or refresh tokens, or receive delegated grants.
   *
   * @example
   * ```ts
   * await client.agents.update(agentId, { status: 'suspended' });
   * ```
   */
  update(agentId: string, params: UpdateAgentParams, options?: RequestOptions): ApiPromise<DeepReadonly<Agent>> {
    return this.#transport.call('updateAgent', 'patch', (o) => updateAgent({ ...o, path: { id: pathParam('agentId', agentId) }, body: params }), options);
  }

  /**
   * Deletes an agent for good, together with its grants, tokens and authorization requests.
   *
   * @example
   * ```ts
   * await client.agents.delete(agentId);
   * ```
   */
  delete(agentId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteAgent', 'delete', (o) => discardBody(deleteAgent({ ...o, path: { id: pathParam('agentId', agentId) } })), options);
  }
}

