import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { generate, type Problem } from '../../scripts/codegen/generate.mjs';
import { validateJson } from '../../scripts/codegen/json-schema.mjs';
import { formatProblem, validateSpec } from '../../scripts/codegen/validate.mjs';
import { extensionSchema, widgetsSpec, WIDGETS_TYPES, WIDGETS_VALIBOT } from './fixtures.js';

/** Runs the whole pipeline on the fixture after `change` edits it. */
function run(change: (spec: Record<string, any>) => void) {
  const spec = widgetsSpec();
  change(spec);
  return generate({ spec, schema: extensionSchema(), valibotSource: WIDGETS_VALIBOT, typesSource: WIDGETS_TYPES });
}

const ext = (spec: Record<string, any>, path: string, method: string) => spec['paths'][path][method]['x-grantex-sdk'];

/** Asserts that generation stopped with exactly one problem, at `operation` and `path`, and emitted nothing. */
function expectOneProblem(result: { problems: readonly Problem[]; files: readonly unknown[] }, operation: string, path: string, message: RegExp): void {
  expect(result.files).toEqual([]);
  expect(result.problems.map((p) => [p.operation, p.path])).toEqual([[operation, path]]);
  expect(result.problems[0]!.message).toMatch(message);
  expect(formatProblem(result.problems[0]!)).toBe(`${operation}: ${path}: ${result.problems[0]!.message}`);
}

describe('x-grantex-sdk validation', () => {
  it('accepts the fixture and the repository spec as they are', () => {
    expect(run(() => {}).problems).toEqual([]);
    const repo = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    expect(validateSpec(repo, extensionSchema()).map(formatProblem)).toEqual([]);
  });

  it('a typo in a key (paginte) names the operation and the key, and suggests the real one', () => {
    const result = run((spec) => {
      const block = ext(spec, '/v1/widgets', 'get');
      block.paginte = block.paginate;
      delete block.paginate;
    });
    expectOneProblem(result, 'listWidgets (GET /v1/widgets)', 'x-grantex-sdk.paginte', /unknown key; did you mean paginate\?/);
  });

  it('a typo inside a nested block (paginate.itmes) is refused too', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets', 'get').paginate = { style: 'page', itmes: 'widgets' };
    });
    expectOneProblem(result, 'listWidgets (GET /v1/widgets)', 'x-grantex-sdk.paginate.itmes', /unknown key; did you mean items\?/);
  });

  it('a secret naming a parameter the operation lacks (query.sinse) is refused', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets/{id}', 'patch').secrets = ['body.secret', 'query.sinse'];
    });
    expectOneProblem(result, 'updateWidget (PATCH /v1/widgets/{id})', 'x-grantex-sdk.secrets[1]', /no query parameter sinse/);
  });

  it('a secret naming a body field the schema lacks is refused, with the nearest field', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets/{id}', 'patch').secrets = ['body.secrte'];
    });
    expectOneProblem(result, 'updateWidget (PATCH /v1/widgets/{id})', 'x-grantex-sdk.secrets[0]', /no field secrte; did you mean secret\?/);
  });

  it('an argument with a bad source (paht.id) is refused', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets/{id}', 'get').args = ['widgetId=paht.id'];
    });
    expectOneProblem(result, 'getWidget (GET /v1/widgets/{id})', 'x-grantex-sdk.args[0]', /"widgetId=paht\.id" is not an argument/);
  });

  it('an argument naming a path parameter the operation lacks is refused', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets/{id}', 'get').args = ['widgetId=path.widgetId', 'id'];
    });
    expectOneProblem(result, 'getWidget (GET /v1/widgets/{id})', 'x-grantex-sdk.args[0]', /no path parameter widgetId/);
  });

  it('a path parameter that is not positional is refused', () => {
    const result = run((spec) => {
      delete ext(spec, '/v1/widgets/{id}', 'get').args;
    });
    expectOneProblem(result, 'getWidget (GET /v1/widgets/{id})', 'x-grantex-sdk.args', /path parameter id must be a positional argument/);
  });

  it('a pagination style that does not exist is refused with the allowed ones', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets', 'get').paginate.style = 'pages';
    });
    expectOneProblem(result, 'listWidgets (GET /v1/widgets)', 'x-grantex-sdk.paginate.style', /one of "single", "page", "scim", "cursor", got "pages"/);
  });

  it('a pagination style whose query parameters the operation lacks is refused', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets', 'get').paginate.style = 'scim';
    });
    expect(result.files).toEqual([]);
    expect(result.problems.map((p) => [p.operation, p.path, p.message])).toEqual([
      ['listWidgets (GET /v1/widgets)', 'x-grantex-sdk.paginate.style', 'the scim style sends the query parameter startIndex, which the operation lacks'],
      ['listWidgets (GET /v1/widgets)', 'x-grantex-sdk.paginate.style', 'the scim style sends the query parameter count, which the operation lacks'],
    ]);
  });

  it('two operations with the same method are refused, naming both', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets/{id}', 'patch').method = 'widgets.get';
    });
    expectOneProblem(result, 'updateWidget (PATCH /v1/widgets/{id})', 'x-grantex-sdk.method', /widgets\.get is already used by getWidget \(GET \/v1\/widgets\/\{id\}\)/);
  });

  it('a method that is also a namespace is refused', () => {
    const result = run((spec) => {
      ext(spec, '/v1/health', 'get').method = 'widgets';
    });
    expect(result.files).toEqual([]);
    expect(result.problems.map((p) => p.operation)).toContain('listWidgets (GET /v1/widgets)');
    expect(result.problems[0]!.message).toMatch(/widgets is both a method \(getHealth \(GET \/v1\/health\)\) and a namespace/);
  });

  it('two namespaces that would be classes of one name are refused', () => {
    const result = run((spec) => {
      ext(spec, '/v1/health', 'get').method = 'widgetParts.get';
      ext(spec, '/v1/widgets/verify', 'post').method = 'widget.parts.verify';
    });
    expectOneProblem(
      result,
      'getHealth (GET /v1/health)',
      'x-grantex-sdk.method',
      /the namespace widgetParts would be the class WidgetParts, like the namespace widget\.parts of verifyWidget \(POST \/v1\/widgets\/verify\)/,
    );
  });

  it('two lists whose page types would share a name are refused, naming the other list', () => {
    const result = run((spec) => {
      // `listWidgets` on the client and `widgets.list` both make WidgetsPage.
      spec['paths']['/v1/widgets-again'] = { get: structuredClone(spec['paths']['/v1/widgets']['get']) };
      spec['paths']['/v1/widgets-again']['get'].operationId = 'listWidgetsAgain';
      spec['paths']['/v1/widgets-again']['get']['x-grantex-sdk'].method = 'listWidgets';
    });
    expectOneProblem(result, 'listWidgetsAgain (GET /v1/widgets-again)', 'x-grantex-sdk.method', /page type would be WidgetsPage, already the page type of listWidgets \(GET \/v1\/widgets\)/);
  });

  it('a page type that would be named like a namespace class is refused', () => {
    const result = run((spec) => {
      ext(spec, '/v1/health', 'get').method = 'widgetsPage.get';
    });
    expectOneProblem(result, 'listWidgets (GET /v1/widgets)', 'x-grantex-sdk.method', /page type would be WidgetsPage, already a namespace class of getHealth/);
  });

  it('a list whose answer has a hasNextPage or getNextPage field is refused: the page methods would hide it', () => {
    const result = run((spec) => {
      spec['components']['schemas']['WidgetList'].properties.hasNextPage = { type: 'boolean' };
    });
    expectOneProblem(result, 'listWidgets (GET /v1/widgets)', 'x-grantex-sdk.paginate', /field hasNextPage, which the page's own hasNextPage\(\) would hide/);
  });

  it('an answer holding a schema that other operations return decoded, without decoding it, is refused', () => {
    const result = run((spec) => {
      spec['components']['schemas']['Widget'].properties.meta = { type: 'string', contentMediaType: 'application/json' };
      ext(spec, '/v1/widgets/{id}', 'get').decode = ['meta'];
      ext(spec, '/v1/widgets', 'get').decode = ['widgets.meta'];
    });
    // updateWidget answers a Widget too and does not decode it.
    expectOneProblem(result, 'updateWidget (PATCH /v1/widgets/{id})', 'x-grantex-sdk.decode', /holds Widget, whose meta listWidgets, getWidget return decoded; decode it here too/);
  });

  it('a bearer secret without a bearer argument, an unknown bespoke step, a bad rename and a missing decode field are refused', () => {
    const result = run((spec) => {
      const block = ext(spec, '/v1/widgets/{id}', 'get');
      block.secrets = ['bearer'];
      block.bespoke = 'grantVerdic';
      block.rename = { widgetName: 'nmae' };
      block.decode = ['metadata'];
    });
    expect(result.files).toEqual([]);
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([
      ['x-grantex-sdk.secrets[0]', 'bearer is a secret only when an argument is sent as the bearer'],
      ['x-grantex-sdk.rename.widgetName', 'the operation has no body field or query parameter nmae'],
      ['x-grantex-sdk.decode[0]', 'the JSON answer has no field metadata'],
      ['x-grantex-sdk.bespoke', 'no bespoke step is named grantVerdic; did you mean grantVerdict? (it has: authorizeAlias, grantVerdict, grantTokenAuth, eventStream, eventSocket)'],
    ]);
  });

  it('values of the wrong type are refused at their path', () => {
    const result = run((spec) => {
      const block = ext(spec, '/v1/health', 'get');
      block.retries = -1;
      block.notes = 'one note';
      block.results = [200];
    });
    expect(result.files).toEqual([]);
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([
      ['x-grantex-sdk.retries', 'must be at least 0, got -1'],
      ['x-grantex-sdk.notes', 'must be an array, got "one note"'],
      ['x-grantex-sdk.results[0]', 'must be at least 300, got 200'],
    ]);
  });

  it('an operation without the extension, or left out without a reason, is refused', () => {
    const result = run((spec) => {
      delete spec['paths']['/v1/health'].get['x-grantex-sdk'];
      delete spec['paths']['/v1/internal'].delete['x-grantex-sdk-reason'];
    });
    expect(result.problems.map((p) => [p.operation, p.path])).toEqual([
      ['getHealth (GET /v1/health)', 'x-grantex-sdk'],
      ['purgeInternal (DELETE /v1/internal)', 'x-grantex-sdk-reason'],
    ]);
  });

  it('reports every problem of the spec in one run, not only the first', () => {
    const result = run((spec) => {
      ext(spec, '/v1/widgets', 'get').paginte = {};
      ext(spec, '/v1/widgets/{id}', 'patch').secrets = ['query.sinse'];
    });
    expect(result.problems.map((p) => p.operation)).toEqual(['listWidgets (GET /v1/widgets)', 'updateWidget (PATCH /v1/widgets/{id})']);
  });
});

describe('the schema validator', () => {
  it('refuses a schema keyword it does not check, rather than ignoring it', () => {
    expect(() => validateJson({}, { type: 'object', patternProperties: {} }, 'x')).toThrow(/patternProperties/);
  });

  it('checks numbers exactly at and one past their bounds', () => {
    const schema = { type: 'integer', minimum: 0, maximum: 10 };
    expect(validateJson(0, schema, 'n')).toEqual([]);
    expect(validateJson(10, schema, 'n')).toEqual([]);
    expect(validateJson(-1, schema, 'n')).toEqual([{ path: 'n', message: 'must be at least 0, got -1' }]);
    expect(validateJson(11, schema, 'n')).toEqual([{ path: 'n', message: 'must be at most 10, got 11' }]);
    expect(validateJson(1.5, schema, 'n')).toEqual([{ path: 'n', message: 'must be an integer, got 1.5' }]);
  });
});
