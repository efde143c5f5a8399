import type { ReactNode } from "react";

/**
 * A whole page (models, servers, settings): its title, optional actions beside it, and its
 * sections. `name` names it: the class `<name>-page`, the title's id `page-title-<name>`
 * (which labels it) and the test id `page-<name>`.
 */
export function PageShell({ name, title, actions, children }: { name: string; title: string; actions?: ReactNode; children: ReactNode }) {
  const titleId = `page-title-${name}`;
  return (
    <section className={`page ${name}-page`} aria-labelledby={titleId} data-testid={`page-${name}`}>
      <header className="page-header">
        <h1 id={titleId} className="page-title">
          {title}
        </h1>
        {actions}
      </header>
      {children}
    </section>
  );
}
