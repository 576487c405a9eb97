'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/components/trpc/client';

interface Props {
  chosen: ReadonlySet<string>;
  onChange(next: Set<string>): void;
}

/**
 * The providers a schedule refreshes, picked from the configured ones (providers.list): no typo can
 * name a provider that does not exist. A name saved earlier that is no longer configured stays
 * listed, ticked, so editing never drops it silently (the server refuses it, in words).
 */
export function ProviderPicker({ chosen, onChange }: Props) {
  const trpc = useTRPC();
  const query = useQuery(trpc.providers.list.queryOptions(undefined, { staleTime: 60_000 }));
  const known = (query.data ?? []).map((p) => ({ name: p.name, label: p.displayName }));
  const extra = [...chosen].filter((name) => !known.some((p) => p.name === name)).map((name) => ({ name, label: `${name} (not configured)` }));
  const toggle = (name: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  if (query.isPending) return <p className="muted">Loading the providers…</p>;
  if (query.error) return <p className="outcome-bad">Could not load the providers: reload the page.</p>;
  return (
    <fieldset className="provider-picker" aria-describedby="provider-picker-count">
      <legend className="sr-only">Providers to refresh</legend>
      <p id="provider-picker-count" className="muted">
        {chosen.size} of {known.length} chosen
      </p>
      <ul className="provider-picker-list">
        {[...known, ...extra].map((p) => (
          <li key={p.name}>
            <label className="choice">
              <input type="checkbox" checked={chosen.has(p.name)} onChange={(e) => toggle(p.name, e.target.checked)} />
              {p.label} <code className="muted">{p.name}</code>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
