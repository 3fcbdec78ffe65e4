/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every sample must
 * belong to a family declared by a `# TYPE` line before it, names and labels must be well formed,
 * values must be numbers, and no series may appear twice. Anything else throws, naming the line.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  type: MetricType;
  help: string | undefined;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Sample names a family of each type may have beyond its own name. */
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [],
  gauge: [],
  untyped: [],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line) ?? [];
      if (!keyword) return; // a plain comment
      if (!METRIC_NAME.test(name!)) fail('bad metric name');
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest!)) fail('unknown type');
        if (families.get(name!)?.samples.length) fail('TYPE after the family’s samples');
        families.set(name!, { type: rest as MetricType, help: families.get(name!)?.help, samples: [] });
      } else {
        const family = families.get(name!) ?? { type: 'untyped', help: undefined, samples: [] };
        families.set(name!, { ...family, help: unescaped(rest!, false, fail) });
      }
      return;
    }
    const sample = readSample(line, fail);
    const family = familyOf(families, sample.name) ?? fail('sample of an undeclared family');
    const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(series)) fail('the same series twice');
    seen.add(series);
    family.samples.push(sample);
  });
  return families;
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = familyOf(families, name)?.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (matching && matching.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${matching.length} series`);
  return matching?.[0]?.value;
}

function familyOf(families: Map<string, Family>, sampleName: string): Family | undefined {
  const own = families.get(sampleName);
  if (own) return own;
  for (const [name, family] of families) {
    if (SUFFIXES[family.type].some((suffix) => sampleName === name + suffix)) return family;
  }
  return undefined;
}

function readSample(line: string, fail: (why: string) => never): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? fail('no metric name');
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    while (line[at] !== '}') {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/.exec(line.slice(at)) ?? fail('bad label');
      const [whole, key, raw] = label;
      if (!LABEL_NAME.test(key!) || key! in labels) fail(`bad or repeated label ${key}`);
      labels[key!] = unescaped(raw!, true, fail);
      at += whole.length;
      if (line[at] === ',') at++;
      else if (line[at] !== '}') fail('expected , or } after a label');
    }
    at++;
  }
  const [value, timestamp, ...extra] = line.slice(at).trim().split(/\s+/);
  if (line[at] !== ' ' || value === undefined || extra.length > 0) fail('expected one value and an optional timestamp');
  if (timestamp !== undefined && !/^-?\d+$/.test(timestamp)) fail('bad timestamp');
  return { name, labels, value: numberOf(value!, fail) };
}

/** As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case; prom-client writes `Nan`. */
function numberOf(text: string, fail: (why: string) => never): number {
  const word = text.toLowerCase();
  if (word === 'nan') return Number.NaN;
  if (word === 'inf' || word === '+inf') return Number.POSITIVE_INFINITY;
  if (word === '-inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail(`bad value ${text}`);
  return Number(text);
}

/** HELP text escapes \\ and \n; label values \\, \" and \n too. */
function unescaped(text: string, quotes: boolean, fail: (why: string) => never): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quotes) return '"';
    return fail(`bad escape \\${c}`);
  });
}
