/**
 * A small JSON-with-comments parser for config files: JSON plus `//` and `/* *\/` comments and
 * trailing commas (what VS Code and tsconfig.json accept). It keeps the line and column of every
 * value and key, so a bad value is reported where it is, and every syntax error names its line,
 * its column and the fix. No dependency: JSON.parse reports only an offset and knows no comments.
 */

interface At {
  line: number;
  col: number;
}

export type JsonNode = At &
  (
    | { type: 'object'; entries: JsonEntry[] }
    | { type: 'array'; items: JsonNode[] }
    | { type: 'string'; value: string }
    | { type: 'number'; value: number }
    | { type: 'boolean'; value: boolean }
    | { type: 'null' }
  );

export interface JsonEntry {
  key: string;
  /** Where the key is (errors about a value's presence point here). */
  at: At;
  value: JsonNode;
}

export class JsoncError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
    this.name = 'JsoncError';
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

export function parseJsonc(text: string): JsonNode {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  const here = (): At => ({ line, col: i - lineStart + 1 });
  const fail = (message: string, at: At = here()): never => {
    throw new JsoncError(message, at.line, at.col);
  };
  const describe = (): string => {
    if (i >= text.length) return 'the end of the file';
    return JSON.stringify(text[i]);
  };

  const skip = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') {
        i++;
        line++;
        lineStart = i;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        i++;
      } else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        const start = here();
        i += 2;
        while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
          if (text[i] === '\n') {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
        if (i >= text.length) fail('a /* comment is never closed; add */', start);
        i += 2;
      } else {
        return;
      }
    }
  };

  const parseString = (): string => {
    const start = here();
    i++; // opening quote
    let out = '';
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\n') fail('a string runs past the end of its line; close it with "', start);
      if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('\\u needs four hex digits, e.g. \\u00e9');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
          continue;
        }
        const mapped = ESCAPES[e];
        if (mapped === undefined) fail(`unknown escape \\${e} in a string; write \\\\ for a backslash`);
        out += mapped;
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    return fail('a string is never closed; add "', start);
  };

  const parseValue = (): JsonNode => {
    skip();
    const at = here();
    const c = text[i];
    if (c === '{') return parseObject(at);
    if (c === '[') return parseArray(at);
    if (c === '"') return { ...at, type: 'string', value: parseString() };
    if (c === "'") fail('strings need double quotes ("..."), not single quotes');
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (number && /[-\d]/.test(c ?? '')) {
      i += number[0].length;
      return { ...at, type: 'number', value: Number(number[0]) };
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 64))?.[0];
    if (word === 'true' || word === 'false') {
      i += word.length;
      return { ...at, type: 'boolean', value: word === 'true' };
    }
    if (word === 'null') {
      i += 4;
      return { ...at, type: 'null' };
    }
    if (word) return fail(`unexpected word ${word}; text values need double quotes: "${word}"`);
    return fail(`expected a value but found ${describe()}`);
  };

  const parseObject = (at: At): JsonNode => {
    i++;
    const entries: JsonEntry[] = [];
    const seen = new Set<string>();
    for (;;) {
      skip();
      if (i >= text.length) fail('an object is never closed; add }', at);
      if (text[i] === '}') {
        i++;
        return { ...at, type: 'object', entries };
      }
      const keyAt = here();
      if (text[i] !== '"') {
        const word = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i, i + 64))?.[0];
        if (word) fail(`keys need double quotes: "${word}"`);
        fail(`expected a key in double quotes or } but found ${describe()}`);
      }
      const key = parseString();
      if (seen.has(key)) fail(`"${key}" is set twice in this object; keep one`, keyAt);
      seen.add(key);
      skip();
      if (text[i] !== ':') fail(`expected : after "${key}" but found ${describe()}`);
      i++;
      const value = parseValue();
      entries.push({ key, at: keyAt, value });
      const end = here();
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') continue;
      if (i >= text.length) fail('an object is never closed; add }', at);
      if (text[i] === '"') fail(`missing , after the value of "${key}"; add a comma between entries`, end);
      fail(`expected , or } after the value of "${key}" but found ${describe()}`);
    }
  };

  const parseArray = (at: At): JsonNode => {
    i++;
    const items: JsonNode[] = [];
    for (;;) {
      skip();
      if (text[i] === ']') {
        i++;
        return { ...at, type: 'array', items };
      }
      items.push(parseValue());
      const end = here();
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') continue;
      if (i >= text.length) fail('a list is never closed; add ]', at);
      fail(`missing , or ] in a list before ${describe()}; add a comma between items`, end);
    }
  };

  skip();
  if (i >= text.length) fail('the file is empty; write {} for no settings');
  const root = parseValue();
  skip();
  if (i < text.length) fail(`unexpected ${describe()} after the end of the settings; remove it`);
  return root;
}
