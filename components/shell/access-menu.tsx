'use client';

import Link from 'next/link';
import { useId } from 'react';
import styles from './access-menu.module.css';
import { useDisclosure } from './use-disclosure';

export interface MenuLink {
  href: string;
  label: string;
  key: string;
}

/**
 * Accounts, Tokens and Audit behind one "Access" button, so an admin's header stays on one line. A
 * disclosure, not an ARIA menu: the links stay links (Tab between them, Enter follows).
 */
export function AccessMenu({ links, current }: { links: readonly MenuLink[]; current: string }) {
  const { open, toggle, close, buttonRef, rootProps } = useDisclosure();
  const id = useId();
  const here = links.some((link) => link.key === current);
  return (
    <div className={styles.menu} {...rootProps}>
      <button ref={buttonRef} type="button" className={`nav-link ${styles.button} ${here ? styles.here : ''}`} aria-expanded={open} aria-controls={id} onClick={toggle}>
        Access
        <span className={styles.caret} aria-hidden="true">
          ▾
        </span>
      </button>
      <ul id={id} className={styles.list} hidden={!open}>
        {links.map((link) => (
          <li key={link.key}>
            <Link href={link.href} className="nav-link" aria-current={link.key === current ? 'page' : undefined} onClick={close}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
