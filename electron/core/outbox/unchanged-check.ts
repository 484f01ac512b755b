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
  try {
    return compile(schema);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class Unsupported extends Error {}

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as Def;
}

function compile(schema: z.core.$ZodType): UnchangedCheck {
  const def = defOf(schema);
  // Checks on anything but a plain value or an array's length (an object's refine, say) are not
  // read here: such a schema gets no quick check at all.
  const plain = def.type === 'string' || def.type === 'number' || def.type === 'boolean';
  if (!plain && def.type !== 'array' && def.checks?.length) throw new Unsupported();
  switch (def.type) {
    case 'string':
      return leaf(schema, def, (v) => typeof v === 'string');
    case 'number':
      return leaf(schema, def, (v) => typeof v === 'number' && Number.isFinite(v));
    case 'boolean':
      return leaf(schema, def, (v) => typeof v === 'boolean');
    case 'unknown':
    case 'any':
      return () => true;
    case 'literal': {
      const values = new Set(def['values'] as unknown[]);
      return (v) => values.has(v);
    }
    case 'enum': {
      const values = new Set(Object.values(def['entries'] as Record<string, unknown>));
      return (v) => values.has(v);
    }
    case 'optional': {
      const inner = compile(def['innerType'] as z.core.$ZodType);
      return (v) => v === undefined || inner(v);
    }
    // A value that is absent would be filled in: not unchanged.
    case 'default': {
      const inner = compile(def['innerType'] as z.core.$ZodType);
      return (v) => v !== undefined && inner(v);
    }
    case 'array': {
      const element = compile(def['element'] as z.core.$ZodType);
      const length = lengthBounds(def);
      return (v) => {
        if (!Array.isArray(v) || v.length < length.min || v.length > length.max) return false;
        for (const item of v) if (!element(item)) return false;
        return true;
      };
    }
    case 'object': {
      if (def['catchall'] !== undefined) throw new Unsupported();
      const shape = Object.entries(def['shape'] as Record<string, z.core.$ZodType>).map(
        ([key, field]) => [key, compile(field)] as const,
      );
      const known = new Set(shape.map(([key]) => key));
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
        const record = v as Record<string, unknown>;
        // A key the schema does not name would be stripped: not unchanged.
        for (const key in record) if (!known.has(key)) return false;
        for (const [key, check] of shape) if (!check(record[key])) return false;
        return true;
      };
    }
    case 'record': {
      // A record keyed by an enum or literal must hold every key: only string keys are read here.
      if (defOf(def['keyType'] as z.core.$ZodType).type !== 'string') throw new Unsupported();
      const key = compile(def['keyType'] as z.core.$ZodType);
      const value = compile(def['valueType'] as z.core.$ZodType);
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
        for (const [k, item] of Object.entries(v)) if (!key(k) || !value(item)) return false;
        return true;
      };
    }
    default:
      throw new Unsupported();
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

/**
 * A plain value: its type and the usual checks (lengths, whole numbers, bounds) here; a value with
 * any other check (a format, a refinement) also goes through its own schema, and counts only if zod
 * hands it back unchanged.
 */
function leaf(schema: z.core.$ZodType, def: Def, type: (v: unknown) => boolean): UnchangedCheck {
  const tests: ((v: never) => boolean)[] = [];
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
    if (c.check === 'max_length' && maximum !== undefined) tests.push((v: string) => v.length <= maximum);
    else if (c.check === 'min_length' && minimum !== undefined) tests.push((v: string) => v.length >= minimum);
    else if (c.check === 'number_format' && c.format === 'safeint') tests.push((v: number) => Number.isSafeInteger(v));
    else if (c.check === 'greater_than' && value !== undefined)
      tests.push(inclusive ? (v: number) => v >= value : (v: number) => v > value);
    else if (c.check === 'less_than' && value !== undefined)
      tests.push(inclusive ? (v: number) => v <= value : (v: number) => v < value);
    else others = true;
  }
  const own = schema as unknown as { safeParse(v: unknown): { success: boolean; data?: unknown } };
  return (v) => {
    if (!type(v)) return false;
    for (const test of tests) if (!test(v as never)) return false;
    if (!others) return true;
    const parsed = own.safeParse(v);
    return parsed.success && Object.is(parsed.data, v);
  };
}
