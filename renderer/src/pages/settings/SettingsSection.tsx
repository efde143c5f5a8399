import type { ReactNode } from "react";

/** One titled section of the settings page; its heading labels it. */
export function SettingsSection({ id, title, description, actions, children }: { id: string; title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="settings-section" aria-labelledby={`settings-${id}`} data-testid={`settings-${id}`}>
      <header className="settings-section-header">
        <div>
          <h2 id={`settings-${id}`} className="settings-section-title">
            {title}
          </h2>
          {description !== undefined ? <p className="settings-section-description muted">{description}</p> : null}
        </div>
        {actions !== undefined ? <div className="settings-section-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}
