/**
 * Arithmetic for the `calculate` tool: a hand-written recursive-descent parser that evaluates as
 * it parses. No eval, no Function: the input can only ever be numbers, operators, parentheses,
 * and the few named functions and constants below.
 *
 *   expression := term (("+" | "-") term)*
 *   term       := unary (("*" | "/" | "%") unary)*
 *   unary      := ("+" | "-") unary | power
 *   power      := primary (("^" | "**") unary)?          right-associative: 2^3^2 = 2^9
 *   primary    := number | "(" expression ")" | name | name "(" expression ("," expression)* ")"
 */

export class CalculationError extends Error {
  override name = 'CalculationError';
}

const MAX_LENGTH = 1000;
const MAX_DEPTH = 64;

// Maps, not object literals: a lookup must never reach what every object inherits (`constructor`, `__proto__`).
const CONSTANTS = new Map(Object.entries({ pi: Math.PI, e: Math.E, tau: 2 * Math.PI }));

const FUNCTIONS = new Map(
  Object.entries<{ arity: number | 'any'; fn: (...args: number[]) => number }>({
    sqrt: { arity: 1, fn: Math.sqrt },
    cbrt: { arity: 1, fn: Math.cbrt },
    abs: { arity: 1, fn: Math.abs },
    round: { arity: 1, fn: Math.round },
    floor: { arity: 1, fn: Math.floor },
    ceil: { arity: 1, fn: Math.ceil },
    exp: { arity: 1, fn: Math.exp },
    ln: { arity: 1, fn: Math.log },
    log10: { arity: 1, fn: Math.log10 },
    log2: { arity: 1, fn: Math.log2 },
    sin: { arity: 1, fn: Math.sin },
    cos: { arity: 1, fn: Math.cos },
    tan: { arity: 1, fn: Math.tan },
    min: { arity: 'any', fn: Math.min },
    max: { arity: 'any', fn: Math.max },
  }),
);

export const CALCULATOR_FUNCTIONS = [...FUNCTIONS.keys()];
export const CALCULATOR_CONSTANTS = [...CONSTANTS.keys()];

type Token = { kind: 'number'; value: number; at: number } | { kind: 'name' | 'op'; text: string; at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([a-zA-Z_][a-zA-Z0-9_]*)|(\*\*|[-+*/%^(),]))/y;
  let at = 0;
  while (at < input.length) {
    if (/^\s*$/.test(input.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(input);
    if (!match) throw new CalculationError(`unexpected character "${input.slice(at).trim()[0]}" at position ${at + 1}`);
    const start = at + match[0].length - (match[1] ?? match[2] ?? match[3])!.length;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]), at: start });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', text: match[2].toLowerCase(), at: start });
    else tokens.push({ kind: 'op', text: match[3]!, at: start });
    at = pattern.lastIndex;
  }
  return tokens;
}

class Parser {
  #index = 0;
  #depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): number {
    if (this.tokens.length === 0) throw new CalculationError('the expression is empty');
    const value = this.#expression();
    const extra = this.tokens[this.#index];
    if (extra) throw new CalculationError(`unexpected ${describe(extra)} at position ${extra.at + 1}`);
    return value;
  }

  #peekOp(...ops: string[]): string | undefined {
    const token = this.tokens[this.#index];
    return token?.kind === 'op' && ops.includes(token.text) ? token.text : undefined;
  }

  #expect(op: string): void {
    const token = this.tokens[this.#index];
    if (token?.kind !== 'op' || token.text !== op) {
      throw new CalculationError(
        token ? `expected "${op}" but found ${describe(token)} at position ${token.at + 1}` : `expected "${op}" at the end`,
      );
    }
    this.#index++;
  }

  #nested<T>(parse: () => T): T {
    if (++this.#depth > MAX_DEPTH) throw new CalculationError(`the expression nests deeper than ${MAX_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  #expression(): number {
    let value = this.#term();
    for (let op = this.#peekOp('+', '-'); op; op = this.#peekOp('+', '-')) {
      this.#index++;
      const right = this.#term();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  #term(): number {
    let value = this.#unary();
    for (let op = this.#peekOp('*', '/', '%'); op; op = this.#peekOp('*', '/', '%')) {
      this.#index++;
      const right = this.#unary();
      if ((op === '/' || op === '%') && right === 0) throw new CalculationError('division by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }

  #unary(): number {
    const op = this.#peekOp('+', '-');
    if (!op) return this.#power();
    this.#index++;
    const value = this.#nested(() => this.#unary());
    return op === '-' ? -value : value;
  }

  #power(): number {
    const base = this.#primary();
    if (!this.#peekOp('^', '**')) return base;
    this.#index++;
    return base ** this.#nested(() => this.#unary());
  }

  #primary(): number {
    const token = this.tokens[this.#index++];
    if (!token) throw new CalculationError('the expression ends too early');
    if (token.kind === 'number') return token.value;
    if (token.kind === 'op' && token.text === '(') {
      const value = this.#nested(() => this.#expression());
      this.#expect(')');
      return value;
    }
    if (token.kind === 'name') return this.#peekOp('(') ? this.#call(token.text, token.at) : this.#constant(token.text, token.at);
    throw new CalculationError(`unexpected ${describe(token)} at position ${token.at + 1}`);
  }

  #constant(name: string, at: number): number {
    const value = CONSTANTS.get(name);
    if (value === undefined)
      throw new CalculationError(`unknown name "${name}" at position ${at + 1}; constants: ${CALCULATOR_CONSTANTS.join(', ')}`);
    return value;
  }

  #call(name: string, at: number): number {
    const fn = FUNCTIONS.get(name);
    if (!fn) throw new CalculationError(`unknown function "${name}" at position ${at + 1}; functions: ${CALCULATOR_FUNCTIONS.join(', ')}`);
    this.#expect('(');
    const args = [this.#nested(() => this.#expression())];
    while (this.#peekOp(',')) {
      this.#index++;
      args.push(this.#nested(() => this.#expression()));
    }
    this.#expect(')');
    if (fn.arity !== 'any' && args.length !== fn.arity) {
      throw new CalculationError(`${name} takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, not ${args.length}`);
    }
    return fn.fn(...args);
  }
}

function describe(token: Token): string {
  return token.kind === 'number' ? `number ${token.value}` : `"${token.text}"`;
}

/** Evaluates an arithmetic expression; throws CalculationError with a message fit to show to a person. */
export function calculate(expression: string): number {
  if (expression.length > MAX_LENGTH) throw new CalculationError(`the expression is longer than ${MAX_LENGTH} characters`);
  const value = new Parser(tokenize(expression)).parse();
  if (!Number.isFinite(value)) throw new CalculationError(Number.isNaN(value) ? 'the result is not a number' : 'the result is too large');
  return value;
}
