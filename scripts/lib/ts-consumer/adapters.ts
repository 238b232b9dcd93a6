// The agent-framework adapters as a consumer compiles them, with each framework installed (compiled
// by scripts/ts-consumer-matrix.mjs, never run): the guarded tool is the framework's own type, and
// the tool's input and output types come through.
import { createEnforcer } from '@grantex/sdk/enforce';
import { guardTool as guardAiTool, type GrantToolContext } from '@grantex/sdk/ai';
import { guardTool as guardLangChainTool } from '@grantex/sdk/langchain';
import { grantexTokenVerifier, guardTool as guardMcpTool, protectedResourceMetadata } from '@grantex/sdk/mcp';
import { guardTool as guardAgentsTool } from '@grantex/sdk/openai-agents';
import { tool as langChainTool, type DynamicStructuredTool } from '@langchain/core/tools';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { tool as agentsTool, type FunctionTool } from '@openai/agents';
import { tool as aiTool, type Tool } from 'ai';
import { z } from 'zod';

const enforcer = createEnforcer({ jwks: { keys: [] }, issuer: 'https://grantex.dev', developerId: 'dev_1', manifests: [{ connector: 'stripe', tools: { create_payment: 'write' } }] });
const payment = z.object({ amount: z.number(), currency: z.string() });

// MCP: the guarded callback goes straight into registerTool; the verifier is the SDK's type.
const server = new McpServer({ name: 'payments', version: '1.0.0' });
server.registerTool(
  'create_payment',
  { inputSchema: { amount: z.number(), currency: z.string() } },
  guardMcpTool(enforcer, { connector: 'stripe', tool: 'create_payment', amount: (args) => args.amount }, async (args) => ({
    content: [{ type: 'text' as const, text: `${args.amount.toFixed(2)} ${args.currency.toUpperCase()}` }],
  })),
);
export const verifier: OAuthTokenVerifier = grantexTokenVerifier(enforcer);
export const metadataUrl: string = protectedResourceMetadata({ resource: 'https://mcp.example.com/mcp', authorizationServers: ['https://grantex.dev'] }).url;

// AI SDK: input and output types stay; the context is typed for toolsContext.
export const aiPayment = guardAiTool(
  enforcer,
  { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
  aiTool({ inputSchema: payment, execute: async ({ amount, currency }) => ({ charged: amount, currency }) }),
);
export const aiTyped: Tool<{ amount: number; currency: string }, { charged: number; currency: string }, GrantToolContext> = aiPayment;
export const aiReturning = guardAiTool(enforcer, { connector: 'stripe', tool: 'create_payment', onDenied: 'return' }, aiTool({ inputSchema: payment, execute: async () => 1 }));
// @ts-expect-error with onDenied: 'return' the output may be a denial, not only the tool's number
export const aiReturningTyped: Tool<{ amount: number; currency: string }, number, GrantToolContext> = aiReturning;

// LangChain: the same DynamicStructuredTool, name literal included.
export const lcPayment = guardLangChainTool(
  enforcer,
  { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
  langChainTool(async ({ amount, currency }) => `${amount} ${currency}`, { name: 'create_payment', schema: payment }),
);
export const lcTyped: DynamicStructuredTool = lcPayment;
export const lcRun = (grantToken: string): Promise<string> => lcPayment.invoke({ amount: 5, currency: 'EUR' }, { configurable: { grantToken } });
// @ts-expect-error the tool's input type comes through: amount is a number
export const lcWrong = () => lcPayment.invoke({ amount: 'five', currency: 'EUR' });

// OpenAI Agents: a FunctionTool with the run context type.
export const agentsPayment = guardAgentsTool(
  enforcer,
  { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
  agentsTool({ name: 'create_payment', description: 'Charge', parameters: payment, execute: async ({ amount }: { amount: number }) => `${amount}` }),
);
export const agentsTyped: FunctionTool<unknown, typeof payment, string> = agentsPayment;
