// The SDK call behind each operation of openapi.yaml, as a Redocly `x-codeSamples` entry: the call
// rendered by scripts/codegen/sdk-call.mjs (the same one the generated methods' `@example` shows)
// after the import and client setup. The docs build adds these to a copy of the spec; openapi.yaml
// itself is not changed. An operation marked `x-grantex-sdk: false` gets a comment saying why; one
// without the extension gets no sample.

import { HTTP_METHODS as METHODS } from '../codegen/spec.mjs';
import { renderSdkCall } from '../codegen/sdk-call.mjs';
import { CURL_LABEL, CURL_LANG, curlSample } from './curl-samples.mjs';

export const SAMPLE_LANG = 'TypeScript';
export const SAMPLE_LABEL = 'TypeScript SDK';

/**
 * The TypeScript source that performs `operation` with the SDK, or undefined when the operation has
 * no `x-grantex-sdk` mapping. `pathItem` supplies path-level parameters.
 */
export function sdkSample(spec, operation, pathItem = {}) {
  const sdk = operation['x-grantex-sdk'];
  if (sdk === undefined) return undefined;
  if (sdk === false) {
    const reason = operation['x-grantex-sdk-reason'] ?? 'the SDK does not expose this operation.';
    return `// Not available in the SDK: ${reason}`.replace(/\s+/g, ' ').trim();
  }
  if (!sdk || typeof sdk.method !== 'string') throw new Error(`${operation.operationId}: x-grantex-sdk needs a method`);
  const isStatic = sdk.method.startsWith('Grantex.');
  const { code, held } = renderSdkCall(spec, operation, pathItem);
  // Every name the call uses is declared, so the sample compiles as it stands; credentials are
  // values the application holds (a redirect's code, a stored token), never literals.
  const declarations = held.map((name) => `declare const ${name}: string; // held by your application\n`).join('');
  const setup = isStatic
    ? `import { Grantex } from '@grantex/sdk';\n\n${declarations}`
    : `import { Grantex } from '@grantex/sdk';\n\nconst client = new Grantex(); // reads GRANTEX_API_KEY\n${declarations}`;
  return `${setup}${code}\n`;
}

/**
 * Adds an `x-codeSamples` entry with the SDK call to every operation that has `x-grantex-sdk`
 * (in place), keeping samples the spec already has. Returns counts for the build's log.
 */
export function addCodeSamples(spec) {
  const counts = { withSample: 0, notInSdk: 0, unmapped: [] };
  for (const [kind, items] of [['path', spec.paths], ['webhook', spec.webhooks]]) {
    for (const [route, item] of Object.entries(items ?? {})) {
      for (const method of METHODS) {
        const operation = item?.[method];
        if (!operation || typeof operation !== 'object') continue;
        const source = sdkSample(spec, operation, item);
        if (source === undefined) {
          // Events of the `webhooks` section are received, not called: no SDK call to show.
          if (kind === 'path') counts.unmapped.push(operation.operationId ?? `${method.toUpperCase()} ?`);
          continue;
        }
        if (operation['x-grantex-sdk'] === false) counts.notInSdk++;
        else counts.withSample++;
        const existing = (operation['x-codeSamples'] ?? []).filter((s) => s.label !== SAMPLE_LABEL && s.label !== CURL_LABEL);
        const curl = kind === 'path' ? [{ lang: CURL_LANG, label: CURL_LABEL, source: curlSample(spec, route, method, operation, item) }] : [];
        operation['x-codeSamples'] = [{ lang: SAMPLE_LANG, label: SAMPLE_LABEL, source }, ...curl, ...existing];
      }
    }
  }
  return counts;
}
