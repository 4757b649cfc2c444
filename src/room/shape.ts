/**
 * A few composable shape checks for JSON that came off the network. Each check returns a short
 * reason ("device.name: 52 characters, at most 40") or `undefined` when the value fits. Objects
 * are strict: a field the shape does not name is an error, so nothing unchecked rides along.
 */
export type Check = (value: unknown, at: string) => string | undefined;

const where = (at: string) => (at ? `${at}: ` : "");

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Control characters (C0, DEL, C1) and the bidirectional overrides that can disguise text. */
export function hasUnprintable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

export function text(maxLength: number, { minLength = 0 } = {}): Check {
  return (value, at) => {
    if (typeof value !== "string") return `${where(at)}expected a string, got ${describe(value)}`;
    if (value.length > maxLength)
      return `${where(at)}${value.length} characters, at most ${maxLength}`;
    if (value.length < minLength) return `${where(at)}at least ${minLength} characters`;
    if (hasUnprintable(value)) return `${where(at)}contains control characters`;
    return undefined;
  };
}

export function integer(min: number, max: number): Check {
  return (value, at) => {
    if (typeof value !== "number" || !Number.isInteger(value))
      return `${where(at)}expected an integer, got ${describe(value)}`;
    if (value < min || value > max) return `${where(at)}${value} is outside ${min}…${max}`;
    return undefined;
  };
}

export function oneOf<T extends string>(values: readonly T[]): Check {
  return (value, at) =>
    typeof value === "string" && (values as readonly string[]).includes(value)
      ? undefined
      : `${where(at)}expected one of ${values.join(", ")}`;
}

export function literal(expected: string | number): Check {
  return (value, at) =>
    value === expected ? undefined : `${where(at)}expected ${JSON.stringify(expected)}`;
}

export function nullable(check: Check): Check {
  return (value, at) => (value === null ? undefined : check(value, at));
}

export function boolean(): Check {
  return (value, at) =>
    typeof value === "boolean"
      ? undefined
      : `${where(at)}expected a boolean, got ${describe(value)}`;
}

export function list(item: Check, maxItems: number): Check {
  return (value, at) => {
    if (!Array.isArray(value)) return `${where(at)}expected an array, got ${describe(value)}`;
    if (value.length > maxItems) return `${where(at)}${value.length} items, at most ${maxItems}`;
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** Every field in `required` must be present, those in `optional` may be; no others. */
export function object(
  required: Record<string, Check>,
  optional: Record<string, Check> = {},
): Check {
  return (value, at) => {
    if (!isRecord(value)) return `${where(at)}expected an object, got ${describe(value)}`;
    const prefix = at ? `${at}.` : "";
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key))
        return `${prefix}${key.slice(0, 40)}: not a field of this message`;
    }
    for (const [key, check] of Object.entries(required)) {
      if (!Object.hasOwn(value, key)) return `${prefix}${key}: missing`;
      const problem = check(value[key], prefix + key);
      if (problem) return problem;
    }
    for (const [key, check] of Object.entries(optional)) {
      if (!Object.hasOwn(value, key)) continue;
      const problem = check(value[key], prefix + key);
      if (problem) return problem;
    }
    return undefined;
  };
}
