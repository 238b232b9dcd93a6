import { deleteAgent, getAgent, listAgents, registerAgent, updateAgent } from '../../generated/sdk.gen.js';
import type { Agent, AgentList, RegisterAgentData, UpdateAgentData } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

export type RegisterAgentParams = RegisterAgentData['body'];
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

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Registers a new agent. `scopes` lists what it may later ask users for. */
  register(params: RegisterAgentParams, options?: RequestOptions): ApiPromise<DeepReadonly<Agent>> {
    return this.#transport.call('registerAgent', 'post', (o) => registerAgent({ ...o, body: params }), options);
  }

  /** Lists every agent of the developer, newest first (the API does not paginate agents). */
  list(options?: RequestOptions): ApiPromise<DeepReadonly<AgentList>> {
    return this.#transport.call('listAgents', 'get', (o) => listAgents(o), options);
  }

  /** Every agent (the API returns them in one page). */
  listAll(options?: RequestOptions): AsyncGenerator<DeepReadonly<Agent>, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<DeepReadonly<AgentList>, 'agents'>('agents'));
  }

  /** Fetches one agent. Throws `NotFoundError` for an unknown id. */
  get(agentId: string, options?: RequestOptions): ApiPromise<DeepReadonly<Agent>> {
    return this.#transport.call('getAgent', 'get', (o) => getAgent({ ...o, path: { id: pathParam('agentId', agentId) } }), options);
  }

  /** Changes an agent's name, description, scopes or status (`suspended` blocks new grants). */
  update(agentId: string, params: UpdateAgentParams, options?: RequestOptions): ApiPromise<DeepReadonly<Agent>> {
    return this.#transport.call('updateAgent', 'patch', (o) => updateAgent({ ...o, path: { id: pathParam('agentId', agentId) }, body: params }), options);
  }

  /** Deletes an agent together with its grants and tokens. */
  delete(agentId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteAgent', 'delete', (o) => discardBody(deleteAgent({ ...o, path: { id: pathParam('agentId', agentId) } })), options);
  }
}

