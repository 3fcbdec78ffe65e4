/**
 * The values an elicitation form starts with: each field's `default` from the requested schema
 * (strings, numbers, booleans, single and multiple choices), so a person who accepts without
 * changing anything sends what the server proposed (MCP SEP-1034).
 */
export type ElicitationValue = string | number | boolean | string[];

export function elicitationDefaults(requestedSchema: { properties?: Record<string, unknown> }): Record<string, ElicitationValue> {
  const values: Record<string, ElicitationValue> = {};
  for (const [name, field] of Object.entries(requestedSchema.properties ?? {})) {
    const fallback = (field as { default?: unknown }).default;
    const isValue =
      typeof fallback === 'string' ||
      typeof fallback === 'number' ||
      typeof fallback === 'boolean' ||
      (Array.isArray(fallback) && fallback.every((item) => typeof item === 'string'));
    if (isValue) values[name] = fallback as ElicitationValue;
  }
  return values;
}
