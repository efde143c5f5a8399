import type { ReactNode } from "react";

/**
 * One titled card of a page (models, settings); its heading labels it. `page` and `id` name
 * it: the heading's id and the test id are `<page>-<id>`.
 */
export function PageSection({ page, id, title, description, actions, children }: { page: string; id: string; title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const name = `${page}-${id}`;
  return (
    <section className="page-section" aria-labelledby={name} data-testid={name}>
      <header className="page-section-header">
        <div>
          <h2 id={name} className="page-section-title">
            {title}
          </h2>
          {description !== undefined ? <p className="page-section-description muted">{description}</p> : null}
        </div>
        {actions !== undefined ? <div className="page-section-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}
