// A small syntax highlighter for the code blocks of the docs site: TypeScript/JavaScript/JSON and
// shell, which is what the guides contain. One pass of sticky regular expressions per language; the
// output is escaped HTML with <span class="hl-…"> around comments, strings, numbers, keywords,
// types, calls and (in shell) commands, flags and variables. Anything it does not know stays plain
// text, so a wrong guess costs colour, never content.

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const span = (kind, text) => `<span class="hl-${kind}">${escapeHtml(text)}</span>`;

const TS_KEYWORDS = new Set(
  (
    'abstract as asserts async await break case catch class const continue debugger declare default delete do else enum ' +
    'export extends finally for from function get if implements import in infer instanceof interface is keyof let module ' +
    'namespace new of override private protected public readonly return satisfies set static switch throw try type typeof ' +
    'unique using var void while with yield'
  ).split(' '),
);
const TS_LITERALS = new Set(['true', 'false', 'null', 'undefined', 'this', 'super', 'NaN', 'Infinity']);
const TS_BUILTIN_TYPES = new Set(['string', 'number', 'boolean', 'bigint', 'symbol', 'object', 'unknown', 'never', 'any', 'void']);

/** Token rules, tried in order at each position; the first that matches wins. */
const TS_RULES = [
  ['comment', /\/\/[^\n]*|\/\*[\s\S]*?\*\//y],
  ['string', /'(?:\\[\s\S]|[^'\\\n])*'|"(?:\\[\s\S]|[^"\\\n])*"|`(?:\\[\s\S]|[^`\\])*`/y],
  ['number', /0[xX][\da-fA-F_]+n?|0[bB][01_]+n?|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?n?/y],
  ['word', /[A-Za-z_$][\w$]*/y],
  ['space', /\s+/y],
  ['punct', /=>|\?\.|\?\?=?|\.\.\.|[{}()[\];,.<>:?!=+\-*/%&|^~@#]/y],
];

function highlightTs(code) {
  let out = '';
  let i = 0;
  let previousWord = '';
  while (i < code.length) {
    let matched = false;
    for (const [kind, re] of TS_RULES) {
      re.lastIndex = i;
      const m = re.exec(code);
      if (!m || m[0].length === 0) continue;
      const text = m[0];
      matched = true;
      i += text.length;
      if (kind === 'word') {
        const rest = code.slice(i);
        const afterDot = /\.\s*$/.test(code.slice(Math.max(0, i - text.length - 2), i - text.length));
        if (!afterDot && TS_KEYWORDS.has(text)) out += span('keyword', text);
        else if (!afterDot && TS_LITERALS.has(text)) out += span('literal', text);
        else if (!afterDot && TS_BUILTIN_TYPES.has(text) && previousWord !== 'typeof') out += span('type', text);
        else if (/^\s*(?:<[^()]*>)?\s*\(/.test(rest) && !/^\s*(?:<[^()]*>)?\s*\(\s*\)\s*=>/.test(rest)) out += span('call', text);
        else if (/^[A-Z]/.test(text)) out += span('type', text);
        else out += escapeHtml(text);
        previousWord = text;
      } else if (kind === 'space' || kind === 'punct') {
        out += escapeHtml(text);
      } else {
        out += span(kind, text);
      }
      break;
    }
    if (!matched) out += escapeHtml(code[i++]);
  }
  return out;
}

const SH_RULES = [
  ['comment', /(?<=^|\s)#[^\n]*/y],
  ['string', /'[^']*'|"(?:\\[\s\S]|[^"\\])*"/y],
  ['variable', /\$\{[^}]*\}|\$[A-Za-z_]\w*|\$[0-9?@#*$!-]/y],
  ['flag', /(?<=\s)--?[A-Za-z][\w-]*(?:=[^\s'"]*)?/y],
  ['assign', /(?<=^|\s)[A-Za-z_]\w*=(?:'[^']*'|"(?:\\[\s\S]|[^"\\])*"|[^\s'"]*)/y],
  ['word', /[^\s'"$#|&;()<>]+/y],
  ['space', /[ \t]+/y],
  ['newline', /\n/y],
  ['operator', /&&|\|\||[|&;()<>]/y],
];

function highlightShell(code) {
  let out = '';
  let i = 0;
  let commandPosition = true;
  while (i < code.length) {
    let matched = false;
    for (const [kind, re] of SH_RULES) {
      re.lastIndex = i;
      const m = re.exec(code);
      if (!m || m[0].length === 0) continue;
      const text = m[0];
      matched = true;
      i += text.length;
      if (kind === 'newline' || kind === 'operator') {
        out += escapeHtml(text);
        commandPosition = true;
      } else if (kind === 'space') {
        out += text;
      } else if (kind === 'assign') {
        out += span('variable', text);
      } else if (kind === 'word') {
        out += commandPosition ? span('call', text) : escapeHtml(text);
        commandPosition = false;
      } else {
        out += span(kind === 'flag' ? 'keyword' : kind, text);
        if (kind !== 'comment') commandPosition = false;
      }
      break;
    }
    if (!matched) out += escapeHtml(code[i++]);
  }
  return out;
}

const LANGUAGES = {
  ts: highlightTs,
  tsx: highlightTs,
  typescript: highlightTs,
  js: highlightTs,
  mjs: highlightTs,
  cjs: highlightTs,
  javascript: highlightTs,
  json: highlightTs,
  jsonc: highlightTs,
  sh: highlightShell,
  bash: highlightShell,
  shell: highlightShell,
  console: highlightShell,
};

/** Whether `lang` (a fence's info string) is one the highlighter colours. */
export const canHighlight = (lang) => Boolean(LANGUAGES[(lang ?? '').toLowerCase()]);

/** Highlighted HTML for `code` (escaped); plain escaped text for an unknown language. */
export function highlight(code, lang) {
  const fn = LANGUAGES[(lang ?? '').toLowerCase()];
  return fn ? fn(code) : escapeHtml(code);
}

/** The stylesheet for the classes above (light theme, WCAG AA contrast on the code background). */
export const HIGHLIGHT_CSS = `
.hl-comment { color: #5c6773; font-style: italic; }
.hl-string { color: #0a7a3e; }
.hl-number, .hl-literal { color: #a3420c; }
.hl-keyword { color: #8a2bb0; }
.hl-type { color: #0b6289; }
.hl-call { color: #2348c4; }
.hl-variable { color: #a3420c; }
`;
