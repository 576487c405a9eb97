'use client';

import type { RuleAction, RuleName } from '~/server/guard/schema';
import { ACTION_WORDS, RULES, ruleWords, type DraftRule, type DraftRules } from './policy-words';

const ACTIONS: RuleAction[] = ['hold', 'alert'];
const words = (name: RuleName, rule: DraftRule) => ruleWords(name, rule.limit.trim() === '' ? undefined : Number(rule.limit));

interface Props {
  /** The table's accessible name: "Global defaults", "Overrides for groq". */
  title: string;
  rules: Partial<DraftRules>;
  /** Where a rule that is not overridden comes from; absent for the defaults themselves. */
  inherited?: DraftRules;
  /** Absent: read-only (no controls). */
  onChange?: (name: RuleName, rule: DraftRule | undefined) => void;
}

/**
 * One set of rules, a row each: the threshold in words, and for admins its limit and action. For a
 * provider, a rule is either its own (checked) or the global default's (shown as such); viewers see
 * only the rules a provider overrides.
 */
export function PolicyRules({ title, rules, inherited, onChange }: Props) {
  const shown = RULES.filter(({ name }) => onChange || !inherited || rules[name]);
  return (
    <table className="table table-cards policy-rules" aria-label={title}>
      <thead>
        <tr>
          {inherited && onChange ? <th scope="col">Override</th> : null}
          <th scope="col">Rule</th>
          {onChange ? <th scope="col">Limit</th> : null}
          <th scope="col">Breached when</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {shown.map(({ name, label, hasLimit, unit }) => {
          const own = rules[name];
          const rule = own ?? inherited?.[name];
          if (!rule) return null;
          return (
            <tr key={name}>
              {inherited && onChange ? (
                <td data-label="Override">
                  <input type="checkbox" aria-label={`Override ${label}`} checked={Boolean(own)} onChange={(e) => onChange(name, e.target.checked ? { ...rule } : undefined)} />
                </td>
              ) : null}
              <th scope="row">{label}</th>
              {onChange ? (
                <td data-label="Limit">
                  {own && hasLimit ? (
                    <span className="field-inline">
                      <input
                        className="input policy-limit"
                        type="number"
                        step="any"
                        aria-label={`${label} limit`}
                        value={own.limit}
                        onChange={(e) => onChange(name, { ...own, limit: e.target.value })}
                      />
                      <span className="muted">{unit}</span>
                    </span>
                  ) : null}
                </td>
              ) : null}
              <td className={own ? undefined : 'muted'} data-label="Breached when">
                {words(name, rule)}
                {own ? '' : ' (default)'}
              </td>
              <td data-label="Action">
                {onChange && own ? (
                  <select className="input" aria-label={`${label} action`} value={own.action} onChange={(e) => onChange(name, { ...own, action: e.target.value as RuleAction })}>
                    {ACTIONS.map((a) => (
                      <option key={a} value={a}>
                        {a} ({ACTION_WORDS[a]})
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className={`badge ${rule.action === 'hold' ? 'badge-bad' : 'badge-info'}`} title={ACTION_WORDS[rule.action]}>
                    {rule.action}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
