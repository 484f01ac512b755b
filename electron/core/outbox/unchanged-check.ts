import type { z } from 'zod';

/** Whether `value` is what parsing it with the schema would return, unchanged. */
export type UnchangedCheck = (value: unknown) => boolean;

/**
 * A zod schema turned into a plain predicate that is true only when `schema.parse(value)` would
 * succeed and return `value` as it is: no default to fill in, no unknown key to strip. When it is
 * false the caller parses with zod as before (which then fills, strips, or refuses).
 *
 * Why: loading a large outbox parses thousands of entries once, in a process that lives for a
 * fraction of a second (`mailroom outbox list`). zod's generic parse runs cold there (10,000
 * entries: ~65 ms, against ~10 ms once V8 has optimised it); these closures do a fraction of the
 * work. The schema stays the one description of an entry: the predicate is read off its definition,
 * and any part it does not know (refinements, regex formats, transforms) is checked by that part's
 * own zod schema, or, if it is not a plain value, makes the whole predicate unavailable (undefined).
 */
export function unchangedCheck(schema: z.core.$ZodType): UnchangedCheck | undefined {
  const source = new Source();
  try {
    source.check(schema, 'value');
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  // One function for the whole schema, rather than a closure per part: it runs cold in a process
  // that lives for a fraction of a second, and V8 optimises one straight-line function after a few
  // hundred calls where a tree of small closures stays slow for thousands (10,000 entries: ~23 ms
  // as closures, a few ms as one function). Only the schema's own definition goes into the text:
  // key names through JSON.stringify, numbers as numbers, anything else by reference.
  const make = new Function('refs', `return (value) => {\n${source.lines.join('\n')}\nreturn true;\n};`) as (
    refs: unknown[],
  ) => UnchangedCheck;
  return make(source.refs);
}

class Unsupported extends Error {}

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as Def;
}

/**
 * The predicate's text: statements that `return false` as soon as the value is not what parsing
 * would hand back unchanged. `at` is always a plain local variable name.
 */
class Source {
  readonly lines: string[] = [];
  readonly refs: unknown[] = [];
  private names = 0;

  private ref(value: unknown): string {
    this.refs.push(value);
    return `refs[${this.refs.length - 1}]`;
  }

  private local(expression: string): string {
    const name = `v${this.names++}`;
    this.lines.push(`const ${name} = ${expression};`);
    return name;
  }

  private fail(condition: string): void {
    this.lines.push(`if (${condition}) return false;`);
  }

  /** The statements inside a block (`if (…) {`, `for (…) {`), closed after `body` ran. */
  private block(head: string, body: () => void): void {
    this.lines.push(`${head} {`);
    body();
    this.lines.push('}');
  }

  check(schema: z.core.$ZodType, at: string): void {
    const def = defOf(schema);
    // Checks on anything but a plain value or an array's length (an object's refine, say) are not
    // read here: such a schema gets no quick check at all.
    const plain = def.type === 'string' || def.type === 'number' || def.type === 'boolean';
    if (!plain && def.type !== 'array' && def.checks?.length) throw new Unsupported();
    switch (def.type) {
      case 'string':
        return this.leaf(schema, def, at, `typeof ${at} !== 'string'`);
      case 'number':
        return this.leaf(schema, def, at, `typeof ${at} !== 'number' || !Number.isFinite(${at})`);
      case 'boolean':
        return this.leaf(schema, def, at, `typeof ${at} !== 'boolean'`);
      case 'unknown':
      case 'any':
        return;
      case 'literal':
        return this.fail(`!${this.ref(new Set(def['values'] as unknown[]))}.has(${at})`);
      case 'enum':
        return this.fail(
          `!${this.ref(new Set(Object.values(def['entries'] as Record<string, unknown>)))}.has(${at})`,
        );
      case 'optional':
        return this.block(`if (${at} !== undefined)`, () =>
          this.check(def['innerType'] as z.core.$ZodType, at),
        );
      // A value that is absent would be filled in: not unchanged.
      case 'default':
        this.fail(`${at} === undefined`);
        return this.check(def['innerType'] as z.core.$ZodType, at);
      case 'array': {
        const { min, max } = lengthBounds(def);
        this.fail(
          `!Array.isArray(${at})${min > 0 ? ` || ${at}.length < ${min}` : ''}${max < Infinity ? ` || ${at}.length > ${max}` : ''}`,
        );
        const item = `v${this.names++}`;
        return this.block(`for (const ${item} of ${at})`, () =>
          this.check(def['element'] as z.core.$ZodType, item),
        );
      }
      case 'object': {
        if (def['catchall'] !== undefined) throw new Unsupported();
        const shape = Object.entries(def['shape'] as Record<string, z.core.$ZodType>);
        this.fail(`typeof ${at} !== 'object' || ${at} === null || Array.isArray(${at})`);
        // A key the schema does not name would be stripped: not unchanged.
        const key = `v${this.names++}`;
        const known = this.ref(new Set(shape.map(([name]) => name)));
        this.block(`for (const ${key} in ${at})`, () => this.fail(`!${known}.has(${key})`));
        for (const [name, field] of shape) this.check(field, this.local(`${at}[${JSON.stringify(name)}]`));
        return;
      }
      case 'record': {
        // A record keyed by an enum or literal must hold every key: only string keys are read here.
        if (defOf(def['keyType'] as z.core.$ZodType).type !== 'string') throw new Unsupported();
        this.fail(`typeof ${at} !== 'object' || ${at} === null || Array.isArray(${at})`);
        const pair = `v${this.names++}`;
        return this.block(`for (const ${pair} of Object.entries(${at}))`, () => {
          this.check(def['keyType'] as z.core.$ZodType, this.local(`${pair}[0]`));
          this.check(def['valueType'] as z.core.$ZodType, this.local(`${pair}[1]`));
        });
      }
      default:
        throw new Unsupported();
    }
  }

  /**
   * A plain value: its type and the usual checks (lengths, whole numbers, bounds) here; a value with
   * any other check (a format, a refinement) also goes through its own schema, and counts only if
   * zod hands it back unchanged.
   */
  private leaf(schema: z.core.$ZodType, def: Def, at: string, wrongType: string): void {
    this.fail(wrongType);
    let others = false;
    for (const check of (def.checks ?? []) as z.core.$ZodCheck[]) {
      const c = check._zod.def as unknown as {
        check: string;
        maximum?: number;
        minimum?: number;
        format?: string;
        value?: number;
        inclusive?: boolean;
      };
      const { maximum, minimum, value, inclusive } = c;
      const bound = (n: number) => (Number.isFinite(n) ? String(n) : this.ref(n));
      if (c.check === 'max_length' && maximum !== undefined) this.fail(`${at}.length > ${bound(maximum)}`);
      else if (c.check === 'min_length' && minimum !== undefined) this.fail(`${at}.length < ${bound(minimum)}`);
      else if (c.check === 'number_format' && c.format === 'safeint') this.fail(`!Number.isSafeInteger(${at})`);
      else if (c.check === 'greater_than' && typeof value === 'number')
        this.fail(`${at} ${inclusive ? '<' : '<='} ${bound(value)}`);
      else if (c.check === 'less_than' && typeof value === 'number')
        this.fail(`${at} ${inclusive ? '>' : '>='} ${bound(value)}`);
      else others = true;
    }
    if (!others) return;
    const own = schema as unknown as { safeParse(v: unknown): { success: boolean; data?: unknown } };
    const unchanged = (v: unknown): boolean => {
      const parsed = own.safeParse(v);
      return parsed.success && Object.is(parsed.data, v);
    };
    this.fail(`!${this.ref(unchanged)}(${at})`);
  }
}

/** Lengths from an array's max_length / min_length checks; any other check is not known here. */
function lengthBounds(def: Def): { min: number; max: number } {
  const bounds = { min: 0, max: Infinity };
  for (const check of (def.checks ?? []) as z.core.$ZodCheck[]) {
    const c = check._zod.def as unknown as { check: string; maximum?: number; minimum?: number };
    if (c.check === 'max_length' && c.maximum !== undefined) bounds.max = c.maximum;
    else if (c.check === 'min_length' && c.minimum !== undefined) bounds.min = c.minimum;
    else throw new Unsupported();
  }
  return bounds;
}

