'use client';

import { useState, type FormEvent } from 'react';
import { useAnnounce } from '~/components/common/announcer';
import { describeError } from '~/components/common/trpc-error';
import type { Model } from '~/server/catalog/schema';
import type { ModelOverride, OverrideInput } from '~/server/guard/overrides-schema';
import type { Overrides } from './use-overrides';

/** What an override pins, in a few words (the Catalog page's "Overridden" badge title, and hidden ones' list). */
export function pinsInWords(o: ModelOverride): string {
  const parts: string[] = [];
  if (o.hidden) parts.push('hidden');
  if (o.pricing) parts.push(`price $${o.pricing.inputPerMTok} / $${o.pricing.outputPerMTok} per 1M tok`);
  if (o.contextLength !== undefined) parts.push(`context ${o.contextLength.toLocaleString('en-US')}`);
  if (o.name !== undefined) parts.push(`name “${o.name}”`);
  return `${parts.join(', ')} (by ${o.updatedBy})`;
}

const text = (n: number | undefined | null) => (n === undefined || n === null ? '' : String(n));

/**
 * An admin's form for one model's override (prefilled with the override; the model as served in
 * the placeholders): a field left empty is not pinned; Save replaces the override whole, Remove drops it.
 */
export function OverrideForm({ provider, model, current, overrides, onDone }: { provider: string; model: Model; current: ModelOverride | undefined; overrides: Overrides; onDone: () => void }) {
  const announce = useAnnounce();
  const [input, setInput] = useState(text(current?.pricing?.inputPerMTok));
  const [output, setOutput] = useState(text(current?.pricing?.outputPerMTok));
  const [context, setContext] = useState(text(current?.contextLength));
  const [name, setName] = useState(current?.name ?? '');
  const [hidden, setHidden] = useState(current?.hidden ?? false);
  const [error, setError] = useState<string | null>(null);
  const pending = overrides.save.isPending || overrides.remove.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if ((input === '') !== (output === '')) return setError('Give both prices (input and output), or neither');
    const body: OverrideInput = {
      provider,
      model: model.id,
      ...(input !== '' ? { pricing: { inputPerMTok: Number(input), outputPerMTok: Number(output) } } : {}),
      ...(context !== '' ? { contextLength: Number(context) } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(hidden ? { hidden } : {}),
    };
    setError(null);
    overrides.save.mutate(body, {
      onSuccess: () => {
        announce(`Saved the override of ${model.id}`, 'ok');
        onDone();
      },
      onError: (err) => setError(describeError(err)),
    });
  };

  const remove = () =>
    overrides.remove.mutate(
      { provider, model: model.id },
      {
        onSuccess: () => {
          announce(`Removed the override of ${model.id}`, 'ok');
          onDone();
        },
        onError: (err) => setError(describeError(err)),
      },
    );

  return (
    <form className="override-form" aria-label={`Override of ${model.id}`} onSubmit={submit}>
      <span className="field-inline">
        <label>
          Input $/1M tok <input className="input" type="number" min="0" step="any" placeholder={text(model.pricing?.inputPerMTok)} value={input} onChange={(e) => setInput(e.target.value)} />
        </label>
        <label>
          Output $/1M tok <input className="input" type="number" min="0" step="any" placeholder={text(model.pricing?.outputPerMTok)} value={output} onChange={(e) => setOutput(e.target.value)} />
        </label>
        <label>
          Context <input className="input" type="number" min="1" step="1" placeholder={text(model.contextLength)} value={context} onChange={(e) => setContext(e.target.value)} />
        </label>
        <label>
          Display name <input className="input" placeholder={model.name} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="choice">
          <input type="checkbox" checked={hidden} onChange={(e) => setHidden(e.target.checked)} /> Hidden
        </label>
      </span>
      {error ? (
        <p role="alert" className="outcome-bad">
          {error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button button-small button-primary" disabled={pending}>
          Save override
        </button>{' '}
        {current ? (
          <button type="button" className="button button-small" disabled={pending} onClick={remove}>
            Remove override
          </button>
        ) : null}{' '}
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
