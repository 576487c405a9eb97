/**
 * CATALOG_KEYS: a gateway's own key layout as templates (`gw:models:$provider`,
 * `gw:model:$provider:$model`). Pure and shared: env.ts validates the templates with it at start-up
 * (every problem named), server/redis/keys.ts renders keys from them, and the overlap check runs
 * again there with the configured provider names.
 *
 * Placeholders: `$provider` (a provider name, PROVIDER_NAME) and `$model` (a model id: any
 * printable characters). Braces are literal, so a template may carry a Redis Cluster hash tag
 * (`gw:{$provider}:models`).
 */
import { PROVIDER_NAME } from '~/server/lib/names';

export const TEMPLATE_NAMES = ['providerModels', 'providerPricing', 'fullCatalog', 'providerList', 'globalPricing', 'modelKey', 'modelIndex'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface KeyTemplates {
  /** The provider's model list (ours: the models hash; a gateway's: any value, e.g. a JSON string). */
  providerModels: string;
  providerPricing: string;
  fullCatalog: string;
  providerList: string;
  globalPricing: string;
  /** One key per model of a provider. */
  modelKey?: string;
  /** A set of a provider's model ids (what the per-model keys are planned from). */
  modelIndex?: string;
}

const PLACEHOLDERS: Record<TemplateName, { provider: boolean; model: boolean; optional: boolean }> = {
  providerModels: { provider: true, model: false, optional: false },
  providerPricing: { provider: true, model: false, optional: false },
  fullCatalog: { provider: false, model: false, optional: false },
  providerList: { provider: false, model: false, optional: false },
  globalPricing: { provider: false, model: false, optional: false },
  modelKey: { provider: true, model: true, optional: true },
  modelIndex: { provider: true, model: false, optional: true },
};

/** Characters a provider name is made of: `$provider` must not be followed by one, or a name would run on. */
const NAME_CHAR = /[a-z0-9._-]/;
const GLOB = /[*?[\]\\]/;

/** The layout that was the only one before CATALOG_KEYS (hash tags per provider and for the globals). */
export function defaultTemplates(prefix: string): KeyTemplates {
  return {
    providerModels: `${prefix}provider:{$provider}:models`,
    providerPricing: `${prefix}provider:{$provider}:pricing`,
    fullCatalog: `${prefix}{global}:all`,
    providerList: `${prefix}{global}:providers`,
    globalPricing: `${prefix}{global}:pricing`,
  };
}

type Token = { lit: string } | { ph: 'provider' | 'model' };

export function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let lit = '';
  for (let i = 0; i < template.length; ) {
    const rest = template.slice(i);
    const ph = rest.startsWith('$provider') ? 'provider' : rest.startsWith('$model') ? 'model' : null;
    if (ph) {
      if (lit) tokens.push({ lit });
      lit = '';
      tokens.push({ ph });
      i += ph === 'provider' ? 9 : 6;
    } else {
      lit += template[i];
      i += 1;
    }
  }
  if (lit) tokens.push({ lit });
  return tokens;
}

/** Problems of one template on its own, in words. */
function templateProblems(name: TemplateName, template: unknown): string[] {
  if (typeof template !== 'string') return [`${name} must be a string`];
  const problems: string[] = [];
  const tokens = tokenize(template);
  const count = (ph: 'provider' | 'model') => tokens.filter((t) => 'ph' in t && t.ph === ph).length;
  const want = PLACEHOLDERS[name];
  if (!template.length) problems.push(`${name} is empty`);
  if (template.length > 200) problems.push(`${name} is longer than 200 characters`);
  if (want.provider && count('provider') !== 1) problems.push(`${name} must contain $provider exactly once`);
  if (!want.provider && count('provider')) problems.push(`${name} must not contain $provider (it is one key for all providers)`);
  if (want.model && count('model') !== 1) problems.push(`${name} must contain $model exactly once`);
  if (!want.model && count('model')) problems.push(`${name} must not contain $model`);
  const literal = tokens.map((t) => ('lit' in t ? t.lit : '')).join('');
  if (GLOB.test(literal)) problems.push(`${name} contains a glob character (* ? [ ] \\): keys are exact, never patterns`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\x00-\x1f\x7f]/.test(literal)) problems.push(`${name} contains whitespace or a control character`);
  if (literal.includes('$')) problems.push(`${name} contains a "$" that is not $provider or $model`);
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if ('ph' in t && next && 'ph' in next) problems.push(`${name}: $${t.ph} and $${next.ph} need a separator between them`);
    if ('ph' in t && t.ph === 'provider' && next && 'lit' in next && NAME_CHAR.test(next.lit[0] ?? '')) {
      problems.push(`${name}: $provider must be followed by a character no provider name contains (such as ":"), not "${next.lit[0]}"`);
    }
  });
  const open = template.indexOf('{');
  const close = template.indexOf('}');
  if ((open >= 0 || close >= 0) && !(open >= 0 && close > open + 1)) problems.push(`${name}: braces must form a non-empty hash tag such as {$provider}`);
  if ((template.match(/[{}]/g) ?? []).length > 2) problems.push(`${name}: at most one {hash tag}`);
  return problems;
}

export type TemplatesParse = { ok: true; templates: KeyTemplates } | { ok: false; problems: string[] };

/**
 * Parses CATALOG_KEYS (JSON) and checks it without knowing the provider names: placeholders,
 * characters, hash tags, and that no key it can build starts with one of `reserved` (the admin
 * prefix; the catalog prefix, under which this app keeps its fences and leases).
 */
export function parseTemplates(json: string, reserved: { label: string; prefix: string }[]): TemplatesParse {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${err instanceof Error ? err.message : String(err)}`] };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problems: ['must be a JSON object of key templates'] };
  const object = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(object)) if (!(TEMPLATE_NAMES as readonly string[]).includes(key)) problems.push(`unknown template "${key}" (known: ${TEMPLATE_NAMES.join(', ')})`);
  for (const name of TEMPLATE_NAMES) {
    if (object[name] === undefined) {
      if (!PLACEHOLDERS[name].optional) problems.push(`${name} is required`);
      continue;
    }
    problems.push(...templateProblems(name, object[name]));
  }
  if (object.modelIndex !== undefined && object.modelKey === undefined) problems.push('modelIndex needs modelKey (the index lists the ids of the per-model keys)');
  if (problems.length) return { ok: false, problems };
  const templates = object as unknown as KeyTemplates;
  for (const name of TEMPLATE_NAMES) {
    const template = templates[name];
    if (template === undefined) continue;
    for (const { label, prefix } of reserved) {
      if (intersects(compile(template), compile(prefix, true))) problems.push(`${name} can build keys under ${label} "${prefix}"`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, templates };
}

/**
 * Pairs of templates that can build the same key for the configured provider names (and any model
 * id), in words. With the README's example, `gw:models:$provider` and `gw:models:all` collide only
 * if a provider is named `all`, hence the names.
 */
export function overlapProblems(templates: KeyTemplates, names: readonly string[]): string[] {
  const present = TEMPLATE_NAMES.filter((n) => templates[n] !== undefined);
  const compiled = new Map(present.map((n) => [n, compile(templates[n] as string, false, names)]));
  const problems: string[] = [];
  present.forEach((a, i) => {
    for (const b of present.slice(i + 1)) {
      if (intersects(compiled.get(a) as Nfa, compiled.get(b) as Nfa)) problems.push(`${a} and ${b} can build the same key`);
    }
  });
  return problems;
}

/**
 * The template as a function of its two placeholders, for the per-model keys (a million per job at
 * most): tokenized once, and no array or object made per key (`render` cost the million-key job
 * about three times the bare loop's time per key name).
 */
export function renderer(template: string): (provider: string, model: string) => string {
  const tokens = tokenize(template);
  return (provider, model) => {
    let out = '';
    for (const t of tokens) out += 'lit' in t ? t.lit : t.ph === 'provider' ? provider : model;
    return out;
  };
}

/** Rendering runs once per key (a million per job at most): each template is tokenized once. */
const tokenized = new Map<string, Token[]>();

export function render(template: string, values: { provider?: string; model?: string }): string {
  let tokens = tokenized.get(template);
  if (!tokens) tokenized.set(template, (tokens = tokenize(template)));
  return tokens
    .map((t) => ('lit' in t ? t.lit : t.ph === 'provider' ? values.provider : values.model))
    .join('');
}

/**
 * A SCAN MATCH pattern for one provider's keys of a template (the literal parts escaped, `$model`
 * as `*`), or with no provider, for every provider's (then filter each key with `matcher`).
 */
export function scanPattern(template: string, provider?: string): string {
  const escape = (s: string) => s.replace(/[*?[\]\\^]/g, (c) => `\\${c}`);
  return tokenize(template)
    .map((t) => ('lit' in t ? escape(t.lit) : t.ph === 'provider' && provider !== undefined ? escape(provider) : '*'))
    .join('');
}

/** A matcher for keys of a template: returns the provider (and model) a key was built from, or null. */
export function matcher(template: string): (key: string) => { provider?: string; model?: string } | null {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const order: ('provider' | 'model')[] = [];
  const source = tokenize(template)
    .map((t) => {
      if ('lit' in t) return escape(t.lit);
      order.push(t.ph);
      return t.ph === 'provider' ? '([a-z0-9._-]+)' : '(.+)';
    })
    .join('');
  const re = new RegExp(`^${source}$`, 's');
  return (key) => {
    const m = re.exec(key);
    if (!m) return null;
    const out: { provider?: string; model?: string } = {};
    order.forEach((ph, i) => (out[ph] = m[i + 1]));
    if (out.provider !== undefined && !PROVIDER_NAME.test(out.provider)) return null;
    return out;
  };
}

/** Redis Cluster's hash tag rule: the text between the first `{` and the next `}`, when non-empty. */
export function hashTag(key: string): string | null {
  const open = key.indexOf('{');
  if (open < 0) return null;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : null;
}

// ---- Emptiness of the intersection of two templates' key sets: a product of two small NFAs.
type Label = string | 'NAME' | 'ANY';
interface Nfa {
  edges: [Label, number][][];
  final: number;
}

const NAME_CLASS = /^[a-z0-9._-]$/;

/** `names`: `$provider` is one of them (a trie); without, any provider name. `tail`: the text may go on (a prefix). */
function compile(template: string, tail = false, names?: readonly string[]): Nfa {
  const edges: [Label, number][][] = [[]];
  const add = () => edges.push([]) - 1;
  let at = 0;
  for (const token of tokenize(template)) {
    if ('lit' in token) {
      for (const ch of token.lit) {
        const next = add();
        edges[at]?.push([ch, next]);
        at = next;
      }
    } else if (token.ph === 'model' || !names) {
      const label: Label = token.ph === 'model' ? 'ANY' : 'NAME';
      const next = add();
      edges[at]?.push([label, next]);
      edges[next]?.push([label, next]);
      at = next;
    } else {
      const end = add();
      const trie = new Map<string, number>();
      for (const name of names) {
        let node = at;
        for (let i = 0; i < name.length; i++) {
          const path = name.slice(0, i + 1);
          const last = i === name.length - 1;
          let next = trie.get(path);
          if (next === undefined) {
            next = add();
            trie.set(path, next);
            edges[node]?.push([name[i] as string, next]);
          }
          if (last) edges[next]?.push(['', end]);
          node = next;
        }
      }
      at = end;
    }
  }
  if (tail) edges[at]?.push(['ANY', at]);
  return { edges, final: at };
}

/** States reachable by empty edges (the trie's ends). */
function closure(nfa: Nfa, state: number): number[] {
  const out = [state];
  for (let i = 0; i < out.length; i++) for (const [label, next] of nfa.edges[out[i] as number] ?? []) if (label === '' && !out.includes(next)) out.push(next);
  return out;
}

function accepts(label: Label, ch: string): boolean {
  if (label === 'ANY') return true;
  if (label === 'NAME') return NAME_CLASS.test(ch);
  return label === ch;
}

function intersects(a: Nfa, b: Nfa): boolean {
  const seen = new Set<string>();
  const queue: [number, number][] = [];
  const push = (x: number, y: number) => {
    for (const cx of closure(a, x))
      for (const cy of closure(b, y)) {
        const id = `${cx},${cy}`;
        if (!seen.has(id)) {
          seen.add(id);
          queue.push([cx, cy]);
        }
      }
  };
  push(0, 0);
  while (queue.length) {
    const [x, y] = queue.shift() as [number, number];
    if (x === a.final && y === b.final) return true;
    const ex = (a.edges[x] ?? []).filter(([l]) => l !== '');
    const ey = (b.edges[y] ?? []).filter(([l]) => l !== '');
    // Characters worth trying: every literal on either side, plus one name character and one other.
    const chars = new Set<string>(['a', '\u0001']);
    for (const [l] of [...ex, ...ey]) if (l.length === 1) chars.add(l);
    for (const ch of chars) for (const [lx, nx] of ex) if (accepts(lx, ch)) for (const [ly, ny] of ey) if (accepts(ly, ch)) push(nx, ny);
  }
  return false;
}
